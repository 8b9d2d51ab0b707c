import { describe, expect, it } from 'vitest';
import { statusFor, type Outcome } from '../../../src/implycluster/status-for.js';
import type { ClusterState } from '../../../src/schema/index.js';
import { aSpec, anObservedCluster } from '../../support/cluster-builders.js';

const cluster = (state: ClusterState, resourceVersion = 2) => anObservedCluster(aSpec(), state, resourceVersion);
const badArgument = { reason: 'BadArgument', message: 'Imply API rejected the spec: spec.x: bad', isStalled: true };
const unavailable = { reason: 'ApiUnavailable', message: 'Imply API is unavailable', isStalled: false };

/** [name, outcome, Ready status/reason, Synced status/reason, Reconciling, Stalled] */
const table: [string, Omit<Outcome, 'generation'>, string, string, string, string][] = [
  ['running and matching', { cluster: cluster('STARTED'), plan: 'none' }, 'True/Available', 'True/ReconcileSuccess', 'False', 'False'],
  ['stopped as asked', { cluster: cluster('STOPPED'), plan: 'none' }, 'True/Stopped', 'True/ReconcileSuccess', 'False', 'False'],
  ['just created', { plan: 'create' }, 'False/Creating', 'True/ReconcileSuccess', 'True/Creating', 'False'],
  ['first start', { cluster: cluster('STARTING', 1), plan: 'wait' }, 'False/Creating', 'True/ReconcileSuccess', 'True/Creating', 'False'],
  ['restarting', { cluster: cluster('STARTING', 3), plan: 'wait' }, 'False/Starting', 'True/ReconcileSuccess', 'True/Starting', 'False'],
  ['updating', { cluster: cluster('UPDATING'), plan: 'wait' }, 'False/Updating', 'True/ReconcileSuccess', 'True/Updating', 'False'],
  ['stopping', { cluster: cluster('STOPPING'), plan: 'wait' }, 'False/Stopping', 'True/ReconcileSuccess', 'True/Stopping', 'False'],
  ['terminating', { cluster: cluster('TERMINATING'), plan: 'wait' }, 'False/Deleting', 'True/ReconcileSuccess', 'True/Deleting', 'False'],
  ['change pending on a stable cluster', { cluster: cluster('STARTED'), plan: 'update' }, 'False/Updating', 'True/ReconcileSuccess', 'True/Updating', 'False'],
  ['start pending', { cluster: cluster('STOPPED'), plan: 'start' }, 'False/Starting', 'True/ReconcileSuccess', 'True/Starting', 'False'],
  ['failed, nothing to change', { cluster: cluster('FAILED'), plan: 'none' }, 'False/Failed', 'True/ReconcileSuccess', 'False', 'True/Failed'],
  ['busy (409)', { cluster: cluster('STARTED'), plan: 'update', isBusy: true }, 'False/Updating', 'True/ReconcileSuccess', 'True/Busy', 'False'],
  ['spec rejected (400)', { cluster: cluster('STARTED'), plan: 'update', failure: badArgument }, 'False/Updating', 'False/BadArgument', 'False', 'True/BadArgument'],
  ['API down before observing', { failure: unavailable }, 'Unknown/Unavailable', 'False/ApiUnavailable', 'False', 'False'],
  ['recorded cluster gone', { isNotFound: true }, 'False/NotFound', 'True/ReconcileSuccess', 'False', 'False'],
  ['paused with a change pending', { cluster: cluster('STARTED'), plan: 'update', isPaused: true }, 'False/Updating', 'False/ReconcilePaused', 'False', 'False'],
  ['paused and matching', { cluster: cluster('STARTED'), plan: 'none', isPaused: true }, 'True/Available', 'False/ReconcilePaused', 'False', 'False'],
  ['being deleted', { cluster: cluster('STOPPING'), isDeleting: true }, 'False/Deleting', 'True/ReconcileSuccess', 'True/Deleting', 'False'],
];

describe('statusFor', () => {
  it.each(table)('%s', (_name, outcome, ready, synced, reconciling, stalled) => {
    const conditions = statusFor({ generation: 7, ...outcome });
    const show = (type: string, withReason: boolean) => {
      const c = conditions.find((x) => x.type === type);
      return withReason ? `${c?.status}/${c?.reason}` : c?.status;
    };
    expect([show('Ready', true), show('Synced', true), show('Reconciling', reconciling !== 'False'), show('Stalled', stalled !== 'False')])
      .toEqual([ready, synced, reconciling, stalled]);
    expect(conditions.every((c) => c.observedGeneration === 7)).toBe(true);
  });

  it('carries the API details in the Synced and Stalled messages', () => {
    const conditions = statusFor({ generation: 1, cluster: cluster('STARTED'), plan: 'update', failure: badArgument });
    expect(conditions.find((c) => c.type === 'Synced')?.message).toBe(badArgument.message);
    expect(conditions.find((c) => c.type === 'Stalled')?.message).toBe(badArgument.message);
  });
});

describe('eventsFor', () => {
  it('says an update completed, not that a running cluster started, when UPDATING ends', async () => {
    const { eventsFor } = await import('../../../src/implycluster/events-for.js');
    const events = eventsFor({ state: 'UPDATING' }, { outcome: { generation: 2, cluster: cluster('STARTED', 3), plan: 'none' } });
    expect(events).toEqual([{ type: 'Normal', reason: 'UpdateCompleted', message: 'Imply cluster runs configuration version 3' }]);
    const started = eventsFor({ state: 'STARTING' }, { outcome: { generation: 1, cluster: cluster('STARTED', 1), plan: 'none' } });
    expect(started.map((e) => e.reason)).toEqual(['Started']);
  });
});
