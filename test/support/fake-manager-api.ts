// An in-memory ManagerApi for unit tests, faithful to the contract's lifecycle (shared/docs/manager-api.md):
// transitional states refuse writes with 409, resourceVersion counts configuration changes, no-op
// writes change nothing, names are unique, passwords are write-only. The same contract suite runs
// against it and against HttpManagerApi + the emulator, so it cannot drift.
import {
  AlreadyExistsError,
  BadArgumentError,
  NotFoundError,
  StateConflictError,
  type ManagerApiError,
} from '../../src/manager/errors.js';
import type { CallOptions, ClusterPatch, ManagerApi, WriteOptions } from '../../src/manager/manager-api.js';
import type { ManagerOperation } from '../../src/manager/request-observation.js';
import {
  clusterRequestProblems,
  transitionalStates,
  type Cluster,
  type ClusterSpec,
  type ClusterState,
  type HistoricalCluster,
  type ObservedCluster,
  type Server,
} from '../../src/schema/index.js';
import { mergePatch, observedClusterFrom, publicSpecFrom, sameSpec, serversFor, type FakeClusterRecord } from './fake-cluster-record.js';

/** Operations of the fake (the ManagerApi methods). */
export type FakeOperation = Exclude<ManagerOperation, 'token'>;

/** Options of {@link FakeManagerApi}. */
export interface FakeManagerApiOptions {
  /** Reads (getCluster/listClusters) a transitional cluster answers before it settles on its own; default Infinity: only settle() ends transitions. */
  settleAfterReads?: number;
}

/** In-memory Manager API with hooks: settle transitions, inject errors, count calls. */
export class FakeManagerApi implements ManagerApi {
  readonly #records = new Map<string, FakeClusterRecord>();
  readonly #calls = new Map<FakeOperation, number>();
  readonly #failures = new Map<FakeOperation, Error[]>();
  readonly #settleAfterReads: number;
  #ids = 0;

  constructor(options: FakeManagerApiOptions = {}) {
    this.#settleAfterReads = options.settleAfterReads ?? Infinity;
  }

  // ---- test hooks ----

  /** Ends the cluster's transition now (TERMINATING removes it); finishes pending server restarts. */
  settle(clusterId: string): void {
    const record = this.#records.get(clusterId);
    if (record === undefined) return;
    const to = record.transition?.settlesTo;
    record.transition = undefined;
    if (to === 'GONE') {
      this.#records.delete(clusterId);
      return;
    }
    if (to !== undefined) record.state = to;
    record.servers = serversFor(record.spec, record.state, record.resourceVersion, record.servers, () => this.#serverId());
  }

  /** Settles every cluster. */
  settleAll(): void {
    for (const uid of [...this.#records.keys()]) this.settle(uid);
  }

  /** Puts a cluster in FAILED at once (as a failed transition would). */
  fail(clusterId: string): void {
    const record = this.#records.get(clusterId);
    if (record === undefined) return;
    record.transition = undefined;
    record.state = 'FAILED';
  }

  /** Makes the next call of `operation` throw `error` (queued: one error per call), with no effect. */
  failNext(operation: FakeOperation, error: ManagerApiError | Error): void {
    this.#failures.set(operation, [...(this.#failures.get(operation) ?? []), error]);
  }

  /** Calls of `operation` so far, failed ones included. */
  callCount(operation: FakeOperation): number {
    return this.#calls.get(operation) ?? 0;
  }

  /** Calls of writes (create, overwrite, update, delete, restart) so far. */
  writeCount(): number {
    const writes: FakeOperation[] = ['createCluster', 'overwriteCluster', 'updateCluster', 'deleteCluster', 'restartServer'];
    return writes.reduce((sum, op) => sum + this.callCount(op), 0);
  }

  /** The stored write-only password of a cluster (never returned by the API). */
  storedPassword(clusterId: string): string | undefined {
    return this.#records.get(clusterId)?.password;
  }

  // ---- ManagerApi ----

  /** All clusters, oldest first. */
  async listClusters(options: CallOptions = {}): Promise<ObservedCluster[]> {
    this.#begin('listClusters', options);
    return [...this.#records.values()].flatMap((r) => this.#read(r));
  }

  /** One cluster, `undefined` when unknown. */
  async getCluster(clusterId: string, options: CallOptions = {}): Promise<ObservedCluster | undefined> {
    this.#begin('getCluster', options);
    const record = this.#records.get(clusterId);
    return record === undefined ? undefined : this.#read(record)[0];
  }

  /** Creates a cluster: STARTING (or STOPPED) at resourceVersion 1. */
  async createCluster(cluster: Cluster, options: WriteOptions = {}): Promise<ObservedCluster> {
    this.#begin('createCluster', options);
    const { name, spec: given } = this.#validated(cluster, undefined);
    if ([...this.#records.values()].some((r) => r.name === name)) throw new AlreadyExistsError(`Cluster with name [${name}] already exists`, { status: 409 });
    const { spec, password } = publicSpecFrom(given, undefined);
    const uid = this.#uid(options.dryRun === true);
    const isStopped = spec.desiredState === 'STOPPED';
    const record: FakeClusterRecord = {
      uid, name, spec, password,
      creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, this.#ids)).toISOString(),
      state: isStopped ? 'STOPPED' : 'STARTING',
      resourceVersion: 1,
      history: [{ resourceVersion: 1, name, spec: structuredClone(spec) }],
      servers: [],
      transition: isStopped ? undefined : this.#transition('STARTED'),
    };
    record.servers = serversFor(spec, record.state, 1, [], () => this.#serverId());
    if (options.dryRun !== true) this.#records.set(uid, record);
    return observedClusterFrom(record);
  }

  /** Replaces the configuration; a write that changes nothing answers the stored cluster. */
  async overwriteCluster(clusterId: string, cluster: Cluster, options: WriteOptions = {}): Promise<ObservedCluster> {
    this.#begin('overwriteCluster', options);
    return this.#configure(clusterId, () => cluster, options);
  }

  /** Merges the patch into the stored configuration, then as overwriteCluster. */
  async updateCluster(clusterId: string, patch: ClusterPatch, options: WriteOptions = {}): Promise<ObservedCluster> {
    this.#begin('updateCluster', options);
    return this.#configure(clusterId, (r) => mergePatch({ metadata: { name: r.name }, spec: r.spec }, patch), options);
  }

  /** Starts deleting a STOPPED or FAILED cluster; `undefined` when already gone. */
  async deleteCluster(clusterId: string, options: CallOptions = {}): Promise<ObservedCluster | undefined> {
    this.#begin('deleteCluster', options);
    const record = this.#records.get(clusterId);
    if (record === undefined) return undefined;
    if (record.state !== 'STOPPED' && record.state !== 'FAILED') throw conflict(record, 'TERMINATED');
    record.state = 'TERMINATING';
    record.transition = this.#transition('GONE');
    return observedClusterFrom(record);
  }

  /** The configuration at one version; `undefined` when the cluster or version is unknown. */
  async getClusterVersion(clusterId: string, resourceVersion: number, options: CallOptions = {}): Promise<HistoricalCluster | undefined> {
    this.#begin('getClusterVersion', options);
    const entry = this.#records.get(clusterId)?.history.find((h) => h.resourceVersion === resourceVersion);
    if (entry === undefined) return undefined;
    return { metadata: { name: entry.name }, spec: structuredClone(entry.spec), status: { resourceVersion } };
  }

  /** Servers of a cluster; NotFoundError when unknown. */
  async listServers(clusterId: string, options: CallOptions = {}): Promise<Server[]> {
    this.#begin('listServers', options);
    return structuredClone(this.#existing(clusterId).servers);
  }

  /** One server; `undefined` when the cluster or server is unknown. */
  async getServer(clusterId: string, serverId: string, options: CallOptions = {}): Promise<Server | undefined> {
    this.#begin('getServer', options);
    const server = this.#records.get(clusterId)?.servers.find((s) => s.id === serverId);
    return server === undefined ? undefined : structuredClone(server);
  }

  /** Restarts a server of a STARTED cluster: PENDING until the next settle. */
  async restartServer(clusterId: string, serverId: string, options: CallOptions = {}): Promise<Server> {
    this.#begin('restartServer', options);
    const record = this.#existing(clusterId);
    const server = record.servers.find((s) => s.id === serverId);
    if (server === undefined) throw new NotFoundError(`Server [${serverId}] of cluster [${clusterId}] was not found`, { status: 404 });
    if (record.state !== 'STARTED') throw conflict(record, 'UPDATING');
    server.state = 'PENDING';
    return structuredClone(server);
  }

  // ---- internals ----

  #begin(operation: FakeOperation, options: CallOptions): void {
    this.#calls.set(operation, this.callCount(operation) + 1);
    options.signal?.throwIfAborted();
    const failure = this.#failures.get(operation)?.shift();
    if (failure !== undefined) throw failure;
  }

  /** A read of a transitional cluster counts towards its settling; the Nth read sees the end state. */
  #read(record: FakeClusterRecord): ObservedCluster[] {
    if (record.transition !== undefined && --record.transition.readsLeft <= 0) this.settle(record.uid);
    return this.#records.has(record.uid) ? [observedClusterFrom(record)] : [];
  }

  #configure(clusterId: string, bodyFor: (r: FakeClusterRecord) => unknown, options: WriteOptions): ObservedCluster {
    const stored = this.#existing(clusterId);
    const { name, spec: given } = this.#validated(bodyFor(stored), clusterId);
    const { spec, password } = publicSpecFrom(given, stored.password);
    const isDesiredStateChanged = spec.desiredState !== stored.spec.desiredState;
    const isOtherChanged = name !== stored.name || password !== stored.password || !sameSpec({ ...spec, desiredState: stored.spec.desiredState ?? 'STARTED' }, stored.spec);
    if (!isDesiredStateChanged && !isOtherChanged) return observedClusterFrom(stored);
    const desired = spec.desiredState ?? 'STARTED';
    if (transitionalStates.includes(stored.state)) throw conflict(stored, isDesiredStateChanged ? desired : 'UPDATING');
    if (name !== stored.name && [...this.#records.values()].some((r) => r.name === name)) {
      throw new AlreadyExistsError(`Cluster with name [${name}] already exists`, { status: 409 });
    }
    const record = options.dryRun === true ? structuredClone(stored) : stored;
    Object.assign(record, { name, spec, password, resourceVersion: stored.resourceVersion + 1 });
    record.history.push({ resourceVersion: record.resourceVersion, name, spec: structuredClone(spec) });
    const [state, settlesTo] = nextStates(stored.state, desired);
    record.state = state;
    record.transition = settlesTo === undefined ? undefined : this.#transition(settlesTo);
    return observedClusterFrom(record);
  }

  #validated(body: unknown, pathUid: string | undefined): { name: string; spec: ClusterSpec } {
    const { status: _ignored, ...rest } = (body ?? {}) as Record<string, unknown>;
    const problems = clusterRequestProblems(rest);
    const uid = (rest['metadata'] as { uid?: unknown } | undefined)?.uid;
    if (uid !== undefined && uid !== pathUid) problems.push({ code: 'Immutable', target: 'metadata.uid', message: 'metadata.uid must match the cluster id in the path' });
    if (problems.length > 0) throw new BadArgumentError('Request contains invalid arguments', problems, { status: 400 });
    const cluster = rest as unknown as Cluster;
    return { name: cluster.metadata.name, spec: cluster.spec };
  }

  #existing(clusterId: string): FakeClusterRecord {
    const record = this.#records.get(clusterId);
    if (record === undefined) throw new NotFoundError(`Cluster [${clusterId}] was not found`, { status: 404 });
    return record;
  }

  #transition(settlesTo: ClusterState | 'GONE'): FakeClusterRecord['transition'] {
    return { settlesTo, readsLeft: this.#settleAfterReads };
  }

  #uid(isDryRun: boolean): string {
    const n = isDryRun ? this.#ids + 1 : ++this.#ids;
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  }

  #serverId(): string {
    return `i-${(++this.#ids).toString(16).padStart(17, '0')}`;
  }
}

/** The contract's lifecycle table for an allowed configuration change: [state now, state it settles to]. */
function nextStates(from: ClusterState, desired: 'STARTED' | 'STOPPED'): [ClusterState, ClusterState | undefined] {
  if (desired === 'STOPPED') return from === 'STOPPED' ? ['STOPPED', undefined] : ['STOPPING', 'STOPPED'];
  return from === 'STOPPED' ? ['STARTING', 'STARTED'] : ['UPDATING', 'STARTED'];
}

function conflict(record: FakeClusterRecord, target: ClusterState | 'TERMINATED'): StateConflictError {
  const message = `Cluster [${record.uid}] cannot transition from [${record.state}] to [${target}]`;
  return new StateConflictError(message, record.state, target, { status: 409 });
}
