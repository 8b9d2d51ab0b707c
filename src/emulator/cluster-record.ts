// How the emulator keeps one cluster (also the data file's format), and the wire views of it.
import type { ClusterEvent, ClusterSpec, ClusterState, HistoricalCluster, LoadBalancer, ObservedCluster, Server, UpdateState } from '../schema/index.js';

/** A server as stored: the wire object plus when a restart ends (epoch ms). */
export interface ServerRecord extends Server {
  restartEndsAtMs?: number;
}

/** One server the running transition works on, in order. */
export interface TransitionStep {
  serverId: string;
  /** Instance type the server ends with; a different one replaces the instance (new id and IP). */
  instanceType: string;
  /** Id and IP of the replacement instance, drawn when the transition begins. */
  replacement?: { id: string; privateIp: string };
}

/** What a transitional state is doing. */
export type TransitionKind = 'start' | 'update' | 'stop' | 'terminate';

/** A transitional state in progress: it ends at `endsAtMs` (epoch ms), even across restarts. */
export interface Transition {
  kind: TransitionKind;
  startedAtMs: number;
  endsAtMs: number;
  steps: TransitionStep[];
  /** Steps already applied to the servers. */
  stepsDone: number;
  /** End in FAILED instead of the target state (fault injection). */
  failAtEnd: boolean;
}

/** One configuration version, as the history endpoint serves it. */
export interface HistoryEntry {
  resourceVersion: number;
  name: string;
  spec: ClusterSpec;
}

/** Everything the emulator knows about one cluster. `spec` is the public form (no password). */
export interface ClusterRecord {
  uid: string;
  name: string;
  creationTimestamp: string;
  spec: ClusterSpec;
  /** Salted hash of the metadata store password, if one is set. */
  passwordHash?: string;
  state: ClusterState;
  resourceVersion: number;
  history: HistoryEntry[];
  events: ClusterEvent[];
  updateState?: UpdateState;
  transition?: Transition;
  servers: ServerRecord[];
}

/** Most events a cluster keeps (the oldest are dropped). */
export const maxEvents = 50;

/** States in which load balancers have hostnames. */
const serving: readonly ClusterState[] = ['STARTED', 'UPDATING'];

/** The Cluster the API returns for a record. */
export function clusterViewFor(record: ClusterRecord): ObservedCluster {
  const status: ObservedCluster['status'] = {
    resourceVersion: record.resourceVersion,
    state: record.state,
    events: structuredClone(record.events),
  };
  if (record.updateState !== undefined) status.updateState = structuredClone(record.updateState);
  if (serving.includes(record.state) && record.spec.loadBalancers !== undefined) {
    status.loadBalancers = record.spec.loadBalancers.map((lb) => loadBalancerStatusFor(record, lb));
  }
  return {
    metadata: { name: record.name, uid: record.uid, creationTimestamp: record.creationTimestamp },
    spec: structuredClone(record.spec),
    status,
  };
}

function loadBalancerStatusFor(record: ClusterRecord, lb: LoadBalancer): LoadBalancer {
  const prefix = lb.internal === true ? 'internal-' : '';
  return { ...structuredClone(lb), hostname: `${prefix}${lb.type.toLowerCase()}-${record.uid.slice(0, 8)}.emulator.implycloud.local` };
}

/** The Cluster as it was at one version, or undefined when the version never existed. */
export function historicalViewFor(record: ClusterRecord, resourceVersion: number): HistoricalCluster | undefined {
  const entry = record.history.find((h) => h.resourceVersion === resourceVersion);
  if (entry === undefined) return undefined;
  return {
    metadata: { name: entry.name, uid: record.uid, creationTimestamp: record.creationTimestamp },
    spec: structuredClone(entry.spec),
    status: { resourceVersion: entry.resourceVersion },
  };
}

/** The Server the API returns for a stored server. */
export function serverViewFor(server: ServerRecord): Server {
  const { restartEndsAtMs: _restart, ...view } = server;
  return structuredClone(view);
}

/** Appends an event, keeping at most `maxEvents` (newest last). */
export function recordEvent(record: ClusterRecord, nowMs: number, type: ClusterEvent['type'], reason: string, message: string): void {
  record.events.push({ timestamp: new Date(nowMs).toISOString(), type, reason, message, resourceVersion: record.resourceVersion });
  if (record.events.length > maxEvents) record.events.splice(0, record.events.length - maxEvents);
}
