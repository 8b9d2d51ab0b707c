// The lock under leader election: one record read and written with optimistic concurrency. The
// Kubernetes Lease adapter is KubeLeaseLock; unit tests use an in-memory fake with the same contract.

/** What a Lease says about its holder (client-go's LeaderElectionRecord); times in epoch ms. */
export interface LeaseRecord {
  /** Identity of the holder; '' when nobody holds the lease (released). */
  readonly holderIdentity: string;
  /** How long the holder claims the lease after each renewal, in whole seconds. */
  readonly leaseDurationSeconds: number;
  /** When the current holder acquired the lease (epoch ms), if known. */
  readonly acquireTimeMs: number | undefined;
  /** When the holder last renewed (epoch ms), if known; informational, never compared across clocks. */
  readonly renewTimeMs: number | undefined;
  /** How many times the holder changed. */
  readonly leaseTransitions: number;
}

/** A record as stored, with the version that a replace must name. */
export interface StoredLease {
  readonly record: LeaseRecord;
  /** Opaque version (metadata.resourceVersion); replace() fails with LeaseConflict unless it is current. */
  readonly resourceVersion: string;
}

/** One lease object, read and written with optimistic concurrency. */
export interface LeaseLock {
  /** Where the lock lives, for logs (`namespace/name`). */
  readonly description: string;
  /** The stored lease, or undefined when it does not exist. Other failures throw. */
  get(): Promise<StoredLease | undefined>;
  /** Creates the lease; throws LeaderElectionError `LeaseConflict` when it already exists. */
  create(record: LeaseRecord): Promise<StoredLease>;
  /** Replaces the lease at `resourceVersion`; throws LeaderElectionError `LeaseConflict` when it moved on. */
  replace(record: LeaseRecord, resourceVersion: string): Promise<StoredLease>;
}

/** True when the two records say the same thing; a change is what restarts the expiry countdown. */
export function isSameLeaseRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTimeMs === b.acquireTimeMs &&
    a.renewTimeMs === b.renewTimeMs &&
    a.leaseTransitions === b.leaseTransitions
  );
}
