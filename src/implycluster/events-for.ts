// Which Kubernetes Events one reconcile emits: only on transitions (created, update sent, busy,
// stopped, started, drift corrected, error class changed), never on every pass. Pure.
import { findCondition } from '../kube/conditions.js';
import type { ImplyClusterStatus } from './implycluster-resource.js';
import type { PassResult } from './cluster-pass.js';

/** An event to emit. */
export interface ClusterEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

const sentEvents: Record<string, [string, string]> = {
  create: ['Created', 'Created the Imply cluster'],
  update: ['UpdateSent', 'Sent the configuration change to Imply'],
  start: ['StartSent', 'Asked Imply to start the cluster'],
  stop: ['StopSent', 'Asked Imply to stop the cluster'],
  delete: ['DeleteSent', 'Asked Imply to delete the cluster'],
};

/** Events for the change from `previous` status to this pass's result. */
export function eventsFor(previous: ImplyClusterStatus | undefined, pass: PassResult): ClusterEvent[] {
  const events: ClusterEvent[] = [];
  const { outcome } = pass;
  if (pass.drift !== undefined && pass.drift.length > 0) {
    events.push({ type: 'Normal', reason: 'DriftCorrected', message: `Corrected changes made outside this resource: ${pass.drift.map((d) => `cluster.${d.path}`).join(', ')}` });
  } else if (pass.sent !== undefined && sentEvents[pass.sent]) {
    const [reason, message] = sentEvents[pass.sent] ?? ['', ''];
    events.push({ type: 'Normal', reason, message });
  }
  const state = outcome.cluster?.status.state;
  if (previous?.state !== undefined && state !== previous.state && (state === 'STARTED' || state === 'STOPPED')) {
    const version = outcome.cluster?.status.resourceVersion;
    events.push(
      previous.state === 'UPDATING'
        ? { type: 'Normal', reason: 'UpdateCompleted', message: `Imply cluster runs configuration version ${version}` }
        : { type: 'Normal', reason: state === 'STARTED' ? 'Started' : 'Stopped', message: `Imply cluster is ${state}` },
    );
  }
  if (state === 'FAILED' && previous?.state !== 'FAILED') events.push({ type: 'Warning', reason: 'Failed', message: 'Imply cluster has failed' });
  if (outcome.isBusy && findCondition(previous?.conditions, 'Reconciling')?.reason !== 'Busy') {
    events.push({ type: 'Normal', reason: 'Busy', message: 'Imply cluster is busy; will retry' });
  }
  if (outcome.isNotFound && findCondition(previous?.conditions, 'Ready')?.reason !== 'NotFound') {
    events.push({ type: 'Warning', reason: 'NotFound', message: 'The Imply cluster recorded in status no longer exists; not re-creating it' });
  }
  const before = findCondition(previous?.conditions, 'Synced');
  if (outcome.isPaused && before?.reason !== 'ReconcilePaused') {
    events.push({ type: 'Normal', reason: 'ReconcilePaused', message: 'Writes paused by annotation cloud.imply.io/paused' });
  } else if (!outcome.isPaused && before?.reason === 'ReconcilePaused') {
    events.push({ type: 'Normal', reason: 'ReconcileResumed', message: 'Writes resumed' });
  }
  const failure = outcome.failure;
  if (failure !== undefined && before?.reason !== failure.reason) {
    events.push({ type: 'Warning', reason: failure.reason, message: failure.message });
  } else if (failure === undefined && before?.status === 'False' && before.reason !== 'ReconcilePaused' && !outcome.isPaused) {
    events.push({ type: 'Normal', reason: 'Recovered', message: `Recovered from ${before.reason}` });
  }
  return events;
}
