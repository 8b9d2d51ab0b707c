// The lifecycle table of the contract as pure functions over a ClusterRecord and a time (epoch ms).
import { transitionalStates, type ClusterState } from '../schema/index.js';
import { recordEvent, type ClusterRecord, type TransitionKind } from './cluster-record.js';
import { applyStep, beginFleetChange } from './server-fleet.js';
import type { SeededRandom } from './seeded-random.js';

/** What a configuration write changes, compared with the stored cluster. */
export interface ConfigurationChange {
  desiredStateChanged: boolean;
  /** Anything else: other spec fields, the name, the password. */
  otherChanged: boolean;
}

/** The answer of the lifecycle table to a write. */
export type LifecyclePlan =
  | { kind: 'noop' }
  | { kind: 'conflict'; target: ClusterState | 'TERMINATED' }
  | { kind: 'apply'; transition?: TransitionKind };

const stateOf: Record<TransitionKind, ClusterState> = { start: 'STARTING', update: 'UPDATING', stop: 'STOPPING', terminate: 'TERMINATING' };

/** True for STARTING, UPDATING, STOPPING and TERMINATING. */
export function isTransitional(state: ClusterState): boolean {
  return transitionalStates.includes(state);
}

/** The state a configuration write asks for: the new desiredState, else UPDATING (409 messages). */
export function requestedStateFor(change: ConfigurationChange, desiredState: 'STARTED' | 'STOPPED'): ClusterState {
  return change.desiredStateChanged ? desiredState : 'UPDATING';
}

/** The lifecycle table for PUT and PATCH. */
export function planConfigurationChange(state: ClusterState, change: ConfigurationChange, desiredState: 'STARTED' | 'STOPPED'): LifecyclePlan {
  if (!change.desiredStateChanged && !change.otherChanged) return { kind: 'noop' };
  if (isTransitional(state)) return { kind: 'conflict', target: requestedStateFor(change, desiredState) };
  if (desiredState === 'STOPPED') return state === 'STOPPED' ? { kind: 'apply' } : { kind: 'apply', transition: 'stop' };
  return state === 'STOPPED' ? { kind: 'apply', transition: 'start' } : { kind: 'apply', transition: 'update' };
}

/** The lifecycle table for DELETE: only a STOPPED or FAILED cluster can be deleted. */
export function planDelete(state: ClusterState): LifecyclePlan {
  return state === 'STOPPED' || state === 'FAILED' ? { kind: 'apply', transition: 'terminate' } : { kind: 'conflict', target: 'TERMINATED' };
}

/** Restarting a server needs a STARTED cluster; otherwise 409 towards UPDATING. */
export function planRestart(state: ClusterState): LifecyclePlan {
  return state === 'STARTED' ? { kind: 'apply' } : { kind: 'conflict', target: 'UPDATING' };
}

/** Inputs of `beginTransition`. */
export interface TransitionOptions {
  nowMs: number;
  /** How long the transitional state lasts, in ms; 0 ends it at the next settle. */
  durationMs: number;
  ids: SeededRandom;
  failAtEnd: boolean;
}

/** Enters the transitional state of `kind`: prepares servers, updateState and an event. */
export function beginTransition(record: ClusterRecord, kind: TransitionKind, options: TransitionOptions): void {
  const { nowMs } = options;
  const fleet = beginFleetChange(kind, record.servers, { spec: record.spec, resourceVersion: record.resourceVersion, nowMs, ids: options.ids });
  record.servers = fleet.servers;
  record.state = stateOf[kind];
  record.transition = { kind, startedAtMs: nowMs, endsAtMs: nowMs + options.durationMs, steps: fleet.steps, stepsDone: 0, failAtEnd: options.failAtEnd };
  if (kind === 'terminate') delete record.updateState;
  else {
    record.updateState = {
      targetResourceVersion: record.resourceVersion,
      strategy: kind === 'update' ? 'ROLLING' : 'RESTART',
      phase: 'PENDING',
      serversUpdated: 0,
      serversTotal: fleet.steps.length,
      startTime: new Date(nowMs).toISOString(),
      message: `Applying resource version ${record.resourceVersion}`,
    };
  }
  const [reason, message] = beginEvent[kind];
  recordEvent(record, nowMs, 'INFO', reason, message);
}

const beginEvent: Record<TransitionKind, [string, string]> = {
  start: ['ClusterStarting', 'Cluster is starting'],
  update: ['UpdateStarted', 'Configuration update started'],
  stop: ['ClusterStopping', 'Cluster is stopping'],
  terminate: ['ClusterTerminating', 'Cluster is being deleted'],
};

const endEvent: Record<TransitionKind, [string, string]> = {
  start: ['ClusterStarted', 'Cluster started'],
  update: ['UpdateCompleted', 'Configuration update completed'],
  stop: ['ClusterStopped', 'Cluster stopped'],
  terminate: ['ClusterTerminated', 'Cluster deleted'],
};

/** What `settleCluster` did. */
export interface SettleResult {
  changed: boolean;
  /** A TERMINATING cluster finished: the caller removes it. */
  gone: boolean;
}

/** Brings a record up to `nowMs`: progress of the running transition, its end, finished restarts. */
export function settleCluster(record: ClusterRecord, nowMs: number): SettleResult {
  let changed = false;
  for (const server of record.servers) {
    if (server.restartEndsAtMs !== undefined && server.restartEndsAtMs <= nowMs) {
      delete server.restartEndsAtMs;
      server.state = 'RUNNING';
      changed = true;
    }
  }
  const t = record.transition;
  if (t === undefined) return { changed, gone: false };
  const span = t.endsAtMs - t.startedAtMs;
  const fraction = nowMs >= t.endsAtMs ? 1 : span <= 0 ? 0 : Math.max(0, (nowMs - t.startedAtMs) / span);
  const due = t.failAtEnd && fraction >= 1 ? t.stepsDone : Math.floor(fraction * t.steps.length);
  for (; t.stepsDone < due; t.stepsDone++) {
    const step = t.steps[t.stepsDone];
    if (step !== undefined) applyStep(t.kind, record.servers, step, record.resourceVersion, nowMs);
    changed = true;
  }
  if (record.updateState !== undefined && record.updateState.serversUpdated !== t.stepsDone) {
    record.updateState.serversUpdated = t.stepsDone;
    record.updateState.phase = 'IN_PROGRESS';
    changed = true;
  }
  if (nowMs < t.endsAtMs) return { changed, gone: false };
  if (t.failAtEnd) {
    failCluster(record, nowMs);
    return { changed: true, gone: false };
  }
  return { changed: true, gone: finishTransition(record, t.kind, nowMs) };
}

function finishTransition(record: ClusterRecord, kind: TransitionKind, nowMs: number): boolean {
  delete record.transition;
  delete record.updateState;
  record.servers = record.servers.filter((s) => s.state !== 'TERMINATED');
  record.state = kind === 'start' ? 'STARTED' : kind === 'stop' ? 'STOPPED' : (record.spec.desiredState ?? 'STARTED');
  const [reason, message] = endEvent[kind];
  recordEvent(record, nowMs, 'INFO', reason, message);
  return kind === 'terminate';
}

/** Puts the cluster in FAILED now: the running transition stops, unfinished servers turn UNHEALTHY. */
export function failCluster(record: ClusterRecord, nowMs: number): void {
  delete record.transition;
  record.servers = record.servers.filter((s) => s.state !== 'TERMINATED');
  for (const s of record.servers) {
    if (s.state === 'PENDING' || s.state === 'STOPPING') s.state = 'UNHEALTHY';
    delete s.restartEndsAtMs;
  }
  if (record.updateState !== undefined) {
    record.updateState.phase = 'FAILED';
    record.updateState.endTime = new Date(nowMs).toISOString();
    record.updateState.message = `Failed to apply resource version ${record.updateState.targetResourceVersion}`;
  }
  record.state = 'FAILED';
  recordEvent(record, nowMs, 'ERROR', 'ClusterFailed', 'Cluster failed');
}

/** When `settleCluster` next has something to do (epoch ms), or undefined when nothing is pending. */
export function nextWakeMs(record: ClusterRecord): number | undefined {
  const times = record.servers.flatMap((s) => (s.restartEndsAtMs === undefined ? [] : [s.restartEndsAtMs]));
  if (record.transition !== undefined) times.push(record.transition.endsAtMs);
  return times.length === 0 ? undefined : Math.min(...times);
}
