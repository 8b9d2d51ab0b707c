// Conditions from what one reconcile saw and did. Pure and table-tested: the reconciler gathers
// facts, this file alone decides what Ready, Synced, Reconciling and Stalled say about them.
import type { ConditionUpdate } from '../kube/conditions.js';
import type { ClusterState, ObservedCluster } from '../schema/index.js';
import type { Plan } from './plan.js';

/** Why a reconcile did not complete; see failure-from.ts for how API errors map here. */
export interface Failure {
  /** The Synced reason: BadArgument, Unauthorized, CredentialsNotFound, AccountNotFound, ApiUnavailable, Conflict, … */
  reason: string;
  /** Short, stable message (no timestamps, no secrets). */
  message: string;
  /** Progress needs a human (400 for this generation, refused credentials). */
  isStalled: boolean;
}

/** Everything one reconcile learnt, as input to statusFor. */
export interface Outcome {
  generation: number;
  /** The Imply cluster after this pass's write, when it could be observed. */
  cluster?: ObservedCluster | undefined;
  /** The plan for this pass; `none` when the cluster matches the spec. */
  plan?: Plan['kind'] | undefined;
  /** The recorded cluster id no longer exists in Imply. */
  isNotFound?: boolean;
  /** The resource is being deleted. */
  isDeleting?: boolean;
  /** A write was refused with 409 StateConflict: busy, not an error. */
  isBusy?: boolean;
  /** Writes are paused by annotation. */
  isPaused?: boolean;
  /** managementPolicy ObserveOnly: a pending change or create is never sent, so nothing is under way. */
  isObserveOnly?: boolean;
  failure?: Failure | undefined;
}

/** The four conditions for an outcome, each stamped with the generation. */
export function statusFor(outcome: Outcome): ConditionUpdate[] {
  const g = outcome.generation;
  const ready = readyFor(outcome);
  const reconciling = !ready.isTrue && !outcome.failure && !outcome.isPaused && (outcome.isBusy || ready.isProgressing);
  const stalled = stalledFor(outcome);
  return [
    { type: 'Ready', status: ready.status, reason: ready.reason, message: ready.message, observedGeneration: g },
    syncedFor(outcome, g),
    reconciling
      ? { type: 'Reconciling', status: 'True', reason: outcome.isBusy ? 'Busy' : ready.reason, message: outcome.isBusy ? 'Imply cluster is busy; waiting to retry' : ready.message, observedGeneration: g }
      : { type: 'Reconciling', status: 'False', reason: 'Idle', message: '', observedGeneration: g },
    stalled
      ? { type: 'Stalled', status: 'True', reason: stalled.reason, message: stalled.message, observedGeneration: g }
      : { type: 'Stalled', status: 'False', reason: 'NotStalled', message: '', observedGeneration: g },
  ];
}

interface Readiness {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  isTrue: boolean;
  /** Work is under way that will change Ready on its own. */
  isProgressing: boolean;
}

const byState: Record<ClusterState, [reason: string, message: string]> = {
  STARTING: ['Starting', 'Imply cluster is starting'],
  STARTED: ['Available', 'Imply cluster is running'],
  UPDATING: ['Updating', 'Imply cluster is applying a configuration change'],
  STOPPING: ['Stopping', 'Imply cluster is stopping'],
  STOPPED: ['Stopped', 'Imply cluster is stopped'],
  TERMINATING: ['Deleting', 'Imply cluster is being deleted'],
  FAILED: ['Failed', 'Imply cluster has failed'],
};

const pendingByPlan: Partial<Record<Plan['kind'], [string, string]>> = {
  create: ['Creating', 'Imply cluster is being created'],
  update: ['Updating', 'Configuration change pending'],
  start: ['Starting', 'Start pending'],
  stop: ['Stopping', 'Stop pending'],
};

function readyFor(o: Outcome): Readiness {
  const no = (reason: string, message: string, isProgressing = true): Readiness => ({ status: 'False', reason, message, isTrue: false, isProgressing });
  if (o.isNotFound) return no('NotFound', 'Imply cluster recorded in status no longer exists', false);
  if (o.isDeleting) return no('Deleting', 'Imply cluster is being deleted');
  const cluster = o.cluster;
  if (cluster === undefined) {
    if (o.plan === 'create' && !o.failure && o.isObserveOnly) return no('NotFound', 'No Imply cluster to observe; ObserveOnly never creates one', false);
    if (o.plan === 'create' && !o.failure) return no('Creating', 'Imply cluster is being created');
    const message = o.failure ? `Cannot observe the Imply cluster: ${o.failure.reason}` : 'Imply cluster not observed yet';
    return { status: 'Unknown', reason: 'Unavailable', message, isTrue: false, isProgressing: !o.failure };
  }
  const { state, resourceVersion } = cluster.status;
  if (state === 'FAILED') return no('Failed', byState.FAILED[1], false);
  if (state === 'STARTING' && resourceVersion <= 1) return no('Creating', 'Imply cluster is being created');
  const [reason, message] = byState[state];
  if (state !== 'STARTED' && state !== 'STOPPED') return no(reason, message);
  const pending = o.plan === undefined || o.plan === 'none' || o.plan === 'wait' ? undefined : pendingByPlan[o.plan];
  if (pending !== undefined) return no(pending[0], pending[1], !o.isPaused && !o.isObserveOnly);
  return { status: 'True', reason, message, isTrue: true, isProgressing: false };
}

function syncedFor(o: Outcome, g: number): ConditionUpdate {
  if (o.failure) return { type: 'Synced', status: 'False', reason: o.failure.reason, message: o.failure.message, observedGeneration: g };
  if (o.isPaused) return { type: 'Synced', status: 'False', reason: 'ReconcilePaused', message: 'Writes are paused by the cloud.imply.io/paused annotation', observedGeneration: g };
  return { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', message: '', observedGeneration: g };
}

function stalledFor(o: Outcome): { reason: string; message: string } | undefined {
  if (o.failure?.isStalled) return { reason: o.failure.reason, message: o.failure.message };
  if (o.cluster?.status.state === 'FAILED' && (o.plan === 'none' || o.plan === undefined)) {
    return { reason: 'Failed', message: 'Imply cluster has failed; change the spec or repair it in Imply' };
  }
  return undefined;
}
