// An in-memory LeaseLock with the API server's optimistic concurrency: every write bumps the
// resourceVersion, a create of an existing lease or a replace at a stale version is a LeaseConflict.
import { LeaderElectionError } from '../../src/controller/leader-election-error.js';
import type { LeaseLock, LeaseRecord, StoredLease } from '../../src/controller/lease-lock.js';

/** The shared store behind any number of FakeLeaseLock views (one per elector). */
export class FakeLeaseStore {
  lease: StoredLease | undefined;
  /** While true, every operation rejects (an unreachable API server). */
  isUnavailable = false;
  /** Operations seen, in order, for assertions. */
  readonly calls: string[] = [];
  #version = 0;

  /** Stores `record` under a new resourceVersion. */
  write(record: LeaseRecord): StoredLease {
    this.lease = { record, resourceVersion: String(++this.#version) };
    return this.lease;
  }
}

/** One client's view of a FakeLeaseStore; operations settle asynchronously, so callers interleave. */
export class FakeLeaseLock implements LeaseLock {
  readonly description = 'test/lease';
  /** While true, this view's operations reject (this client is cut off); others still work. */
  isPartitioned = false;
  /** While true, this view's operations never settle (a hung request). */
  isHanging = false;
  readonly #store: FakeLeaseStore;

  constructor(store: FakeLeaseStore) {
    this.#store = store;
  }

  async get(): Promise<StoredLease | undefined> {
    await this.#call('get');
    return this.#store.lease;
  }

  async create(record: LeaseRecord): Promise<StoredLease> {
    await this.#call('create');
    if (this.#store.lease !== undefined) throw new LeaderElectionError('LeaseConflict', 'already exists');
    return this.#store.write(record);
  }

  async replace(record: LeaseRecord, resourceVersion: string): Promise<StoredLease> {
    await this.#call('replace');
    if (this.#store.lease?.resourceVersion !== resourceVersion) throw new LeaderElectionError('LeaseConflict', 'stale resourceVersion');
    return this.#store.write(record);
  }

  async #call(name: string): Promise<void> {
    await Promise.resolve();
    if (this.isHanging) await new Promise<never>(() => {});
    this.#store.calls.push(name);
    if (this.#store.isUnavailable || this.isPartitioned) throw new Error('lease store unavailable');
  }
}
