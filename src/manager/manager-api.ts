// The seam between the controller and Imply: one method per Manager API operation. The reconciler
// branches on facts (undefined, typed errors), never on HTTP. Implementations: HttpManagerApi (real
// HTTP) and FakeManagerApi (in memory, unit tests); one contract suite runs against both.
import type { Cluster, ClusterSpec, HistoricalCluster, ObjectMeta, ObservedCluster, Server } from '../schema/index.js';

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call (and any wait for the account's rate limiter). */
  signal?: AbortSignal;
}

/** Options of write calls. */
export interface WriteOptions extends CallOptions {
  /** Validate only: the API answers with the would-be cluster and changes nothing. */
  dryRun?: boolean;
}

/** A JSON Merge Patch (RFC 7386) of a Cluster: objects merge, `null` removes, arrays replace. */
export interface ClusterPatch {
  metadata?: Partial<ObjectMeta>;
  spec?: MergePatch<ClusterSpec>;
}

/** A merge patch of T: every field optional, nullable to remove it; nested objects (optional ones too) patch partially. */
export type MergePatch<T> = {
  [K in keyof T]?: (NonNullable<T[K]> extends readonly unknown[] ? T[K] : NonNullable<T[K]> extends object ? MergePatch<NonNullable<T[K]>> : T[K]) | null;
};

/** Every operation of the Imply Cloud Manager API (contract: shared/docs/manager-api.md). */
export interface ManagerApi {
  /** All clusters of the account. Idempotent read. Unauthorized/Forbidden/Unavailable on failure. */
  listClusters(options?: CallOptions): Promise<ObservedCluster[]>;
  /** One cluster by id; `undefined` when it does not exist (404). Idempotent read. */
  getCluster(clusterId: string, options?: CallOptions): Promise<ObservedCluster | undefined>;
  /** Creates a cluster. NOT idempotent: never retried. AlreadyExistsError when the name is taken; BadArgumentError. */
  createCluster(cluster: Cluster, options?: WriteOptions): Promise<ObservedCluster>;
  /** Replaces the whole spec (omitted fields take defaults). StateConflictError while transitional; NotFoundError. */
  overwriteCluster(clusterId: string, cluster: Cluster, options?: WriteOptions): Promise<ObservedCluster>;
  /** Applies a merge patch. A no-op patch changes nothing. StateConflictError while transitional; NotFoundError. */
  updateCluster(clusterId: string, patch: ClusterPatch, options?: WriteOptions): Promise<ObservedCluster>;
  /** Starts deleting a stopped or failed cluster; `undefined` when it is already gone. StateConflictError otherwise. */
  deleteCluster(clusterId: string, options?: CallOptions): Promise<ObservedCluster | undefined>;
  /** The configuration at one resourceVersion; `undefined` when the cluster or version does not exist. */
  getClusterVersion(clusterId: string, resourceVersion: number, options?: CallOptions): Promise<HistoricalCluster | undefined>;
  /** Servers of a cluster. NotFoundError when the cluster does not exist. Idempotent read. */
  listServers(clusterId: string, options?: CallOptions): Promise<Server[]>;
  /** One server; `undefined` when the cluster or server does not exist. Idempotent read. */
  getServer(clusterId: string, serverId: string, options?: CallOptions): Promise<Server | undefined>;
  /** Restarts one server; StateConflictError unless the cluster is STARTED; NotFoundError. Not idempotent. */
  restartServer(clusterId: string, serverId: string, options?: CallOptions): Promise<Server>;
}
