// The emulator's clusters: every write and read of the API lands here, settled against the clock.
import { type HistoricalCluster, type ObservedCluster, type Server } from '../schema/index.js';
import { alreadyExists, clusterNotFound, serverNotFound, stateConflict, versionNotFound } from './api-error.js';
import { clusterViewFor, historicalViewFor, recordEvent, serverViewFor, type ClusterRecord, type TransitionKind } from './cluster-record.js';
import {
  beginTransition, failCluster, nextWakeMs, planConfigurationChange, planDelete, planRestart, requestedStateFor, settleCluster,
  type ConfigurationChange, type LifecyclePlan,
} from './cluster-lifecycle.js';
import { publicConfiguration, sameExceptDesiredState, type ConfigurationInput } from './public-configuration.js';
import { SeededRandom } from './seeded-random.js';

/** Per-request switches of a write. */
export interface WriteOptions {
  /** Validate and answer the would-be result without storing anything. */
  dryRun?: boolean;
  /** Asked once when a transition begins: true makes it end in FAILED (fault injection). */
  failAtEnd?: () => boolean;
  /** Asked once before the lifecycle table: true answers 409 as if the state forbade the write. */
  forceConflict?: () => boolean;
}

/** The persisted form of the store (the data file's content). */
export interface StoreSnapshot {
  format: 'imply-emulator/v1';
  idState: number;
  clusters: ClusterRecord[];
}

/** Options of a ClusterStore. */
export interface ClusterStoreOptions {
  /** Length of every transitional state, in ms (0 = ends at the next settle). */
  transitionMs: number;
  /** Seed of uids, server ids and IPs. */
  seed: number;
  /** Called after any change, including those made by timers (persistence hooks here). */
  onChange: () => void;
  /** Clock in epoch ms. Default Date.now. */
  now?: () => number;
}

/** In-memory clusters with the contract's lifecycle; timers end transitions even if nobody reads. */
export class ClusterStore {
  #records = new Map<string, ClusterRecord>();
  #timers = new Map<string, NodeJS.Timeout>();
  #ids: SeededRandom;
  #options: ClusterStoreOptions;
  #now: () => number;

  constructor(options: ClusterStoreOptions) {
    this.#options = { ...options };
    this.#ids = new SeededRandom(options.seed);
    this.#now = options.now ?? Date.now;
  }

  /** Length of transitional states in ms; changing it affects transitions that begin afterwards. */
  get transitionMs(): number {
    return this.#options.transitionMs;
  }

  set transitionMs(value: number) {
    this.#options.transitionMs = value;
  }

  /** Every cluster, oldest first. */
  list(): ObservedCluster[] {
    for (const uid of [...this.#records.keys()]) this.#find(uid);
    return [...this.#records.values()].map(clusterViewFor);
  }

  /** One cluster; 404 when unknown or deleted. */
  get(uid: string): ObservedCluster {
    return clusterViewFor(this.#settled(uid));
  }

  /** The cluster as it was at `resourceVersion` (raw path segment); 404 when there is no such version. */
  history(uid: string, resourceVersion: string): HistoricalCluster {
    const record = this.#settled(uid);
    const view = /^\d+$/.test(resourceVersion) ? historicalViewFor(record, Number(resourceVersion)) : undefined;
    if (view === undefined) throw versionNotFound(uid, resourceVersion);
    return view;
  }

  /** The servers of a cluster. */
  servers(uid: string): Server[] {
    return this.#settled(uid).servers.map(serverViewFor);
  }

  /** One server of a cluster. */
  server(uid: string, serverId: string): Server {
    const server = this.#settled(uid).servers.find((s) => s.id === serverId);
    if (server === undefined) throw serverNotFound(uid, serverId);
    return serverViewFor(server);
  }

  /** Creates a cluster: STARTING (or STOPPED when desiredState is STOPPED) at resourceVersion 1. */
  create(input: ConfigurationInput, options: WriteOptions = {}): ObservedCluster {
    this.#assertNameFree(input.name, undefined);
    const ids = options.dryRun === true ? this.#ids.clone() : this.#ids;
    const nowMs = this.#now();
    const { spec, passwordHash } = publicConfiguration(input, undefined);
    const record: ClusterRecord = {
      uid: ids.uuid(), name: input.name, creationTimestamp: new Date(nowMs).toISOString(), spec,
      state: 'STOPPED', resourceVersion: 1, history: [], events: [], servers: [],
    };
    if (passwordHash !== undefined) record.passwordHash = passwordHash;
    record.history.push({ resourceVersion: 1, name: record.name, spec: structuredClone(spec) });
    recordEvent(record, nowMs, 'INFO', 'ClusterCreated', 'Cluster created');
    if (spec.desiredState !== 'STOPPED') this.#begin(record, 'start', ids, options);
    if (options.dryRun !== true) this.#commit(record);
    return clusterViewFor(record);
  }

  /** Replaces the configuration (PUT, or PATCH after merging); `changed` is false for a no-op. */
  configure(uid: string, input: ConfigurationInput, options: WriteOptions = {}): { cluster: ObservedCluster; changed: boolean } {
    const stored = this.#settled(uid);
    const { spec, passwordHash } = publicConfiguration(input, stored.passwordHash);
    const change: ConfigurationChange = {
      desiredStateChanged: spec.desiredState !== stored.spec.desiredState,
      otherChanged: input.name !== stored.name || passwordHash !== stored.passwordHash || !sameExceptDesiredState(spec, stored.spec),
    };
    const desired = spec.desiredState ?? 'STARTED';
    if (options.forceConflict?.() === true) throw stateConflict(uid, stored.state, requestedStateFor(change, desired));
    const plan = planConfigurationChange(stored.state, change, desired);
    if (plan.kind === 'noop') return { cluster: clusterViewFor(stored), changed: false };
    if (input.name !== stored.name) this.#assertNameFree(input.name, uid);
    const transition = this.#allowed(stored, plan);
    const record = options.dryRun === true ? structuredClone(stored) : stored;
    const ids = options.dryRun === true ? this.#ids.clone() : this.#ids;
    record.resourceVersion += 1;
    record.name = input.name;
    record.spec = spec;
    if (passwordHash === undefined) delete record.passwordHash;
    else record.passwordHash = passwordHash;
    record.history.push({ resourceVersion: record.resourceVersion, name: record.name, spec: structuredClone(spec) });
    if (transition === undefined) recordEvent(record, this.#now(), 'INFO', 'ConfigurationChanged', 'Configuration changed; applied at next start');
    else this.#begin(record, transition, ids, options);
    if (options.dryRun !== true) this.#commit(record);
    return { cluster: clusterViewFor(record), changed: true };
  }

  /** Deletes a STOPPED or FAILED cluster: TERMINATING, then gone. */
  delete(uid: string, options: WriteOptions = {}): ObservedCluster {
    const stored = this.#settled(uid);
    if (options.forceConflict?.() === true) throw stateConflict(uid, stored.state, 'TERMINATED');
    const transition = this.#allowed(stored, planDelete(stored.state));
    const record = options.dryRun === true ? structuredClone(stored) : stored;
    this.#begin(record, transition ?? 'terminate', options.dryRun === true ? this.#ids.clone() : this.#ids, options);
    if (options.dryRun !== true) this.#commit(record);
    return clusterViewFor(record);
  }

  /** Restarts one server of a STARTED cluster: PENDING for one transition length, then RUNNING. */
  restart(uid: string, serverId: string, options: WriteOptions = {}): Server {
    const record = this.#settled(uid);
    const server = record.servers.find((s) => s.id === serverId);
    if (server === undefined) throw serverNotFound(uid, serverId);
    if (options.forceConflict?.() === true) throw stateConflict(uid, record.state, 'UPDATING');
    this.#allowed(record, planRestart(record.state));
    const nowMs = this.#now();
    server.state = 'PENDING';
    server.restartEndsAtMs = nowMs + this.#options.transitionMs;
    recordEvent(record, nowMs, 'INFO', 'ServerRestarted', `Server ${serverId} restarted`);
    this.#commit(record);
    return serverViewFor(server);
  }

  /** Puts a cluster in FAILED at once (admin fault injection). */
  fail(uid: string): ObservedCluster {
    const record = this.#settled(uid);
    failCluster(record, this.#now());
    this.#commit(record);
    return clusterViewFor(record);
  }

  /** The state to persist. */
  snapshot(): StoreSnapshot {
    return { format: 'imply-emulator/v1', idState: this.#ids.state, clusters: structuredClone([...this.#records.values()]) };
  }

  /** Replaces everything with a snapshot; transitions resume from their stored deadlines. */
  restore(snapshot: StoreSnapshot): void {
    this.reset();
    this.#ids = new SeededRandom(snapshot.idState);
    for (const record of snapshot.clusters) {
      this.#records.set(record.uid, record);
      this.#find(record.uid);
      this.#arm(record.uid);
    }
  }

  /** Forgets every cluster and restarts ids from the seed. */
  reset(): void {
    this.close();
    this.#records.clear();
    this.#ids = new SeededRandom(this.#options.seed);
  }

  /** Stops every timer (the records stay). */
  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #allowed(record: ClusterRecord, plan: LifecyclePlan): TransitionKind | undefined {
    if (plan.kind === 'conflict') throw stateConflict(record.uid, record.state, plan.target);
    return plan.kind === 'apply' ? plan.transition : undefined;
  }

  #begin(record: ClusterRecord, kind: TransitionKind, ids: SeededRandom, options: WriteOptions): void {
    const failAtEnd = options.dryRun !== true && options.failAtEnd?.() === true;
    beginTransition(record, kind, { nowMs: this.#now(), durationMs: this.#options.transitionMs, ids, failAtEnd });
  }

  #assertNameFree(name: string, exceptUid: string | undefined): void {
    for (const r of this.#records.values()) if (r.name === name && r.uid !== exceptUid) throw alreadyExists(name);
  }

  #commit(record: ClusterRecord): void {
    this.#records.set(record.uid, record);
    this.#arm(record.uid);
    this.#options.onChange();
  }

  #settled(uid: string): ClusterRecord {
    const record = this.#find(uid);
    if (record === undefined) throw clusterNotFound(uid);
    return record;
  }

  /** Settles a record against the clock; undefined when unknown or just finished terminating. */
  #find(uid: string): ClusterRecord | undefined {
    const record = this.#records.get(uid);
    if (record === undefined) return undefined;
    const result = settleCluster(record, this.#now());
    if (result.gone) {
      this.#records.delete(uid);
      clearTimeout(this.#timers.get(uid));
      this.#timers.delete(uid);
    }
    if (result.changed) this.#options.onChange();
    return result.gone ? undefined : record;
  }

  #arm(uid: string): void {
    clearTimeout(this.#timers.get(uid));
    this.#timers.delete(uid);
    const record = this.#records.get(uid);
    const wake = record === undefined ? undefined : nextWakeMs(record);
    if (wake === undefined) return;
    const timer = setTimeout(() => {
      this.#timers.delete(uid);
      if (this.#find(uid) !== undefined) this.#arm(uid);
    }, Math.max(0, wake - this.#now()));
    timer.unref();
    this.#timers.set(uid, timer);
  }
}
