// The ImplyCluster reconciler's branches, end to end within the process: the real reconciler and
// AccountClients over FakeManagerApi, an in-memory resource store and a manual clock.
import type { V1Secret } from '@kubernetes/client-node';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { retryAfterMsOf } from '../../../src/controller/queue-action.js';
import { AccountClients } from '../../../src/implyaccount/account-clients.js';
import type { ImplyAccount } from '../../../src/implyaccount/implyaccount-resource.js';
import { ImplyClusterReconciler } from '../../../src/implycluster/implycluster-reconciler.js';
import {
  clusterIdAnnotation,
  ownerTagName,
  pausedAnnotation,
  pollIntervalAnnotation,
  type ImplyCluster,
} from '../../../src/implycluster/implycluster-resource.js';
import { defaultPollIntervals } from '../../../src/implycluster/poll-delay.js';
import { findCondition } from '../../../src/kube/conditions.js';
import { BadArgumentError, StateConflictError, UnauthorizedError, UnavailableError } from '../../../src/manager/errors.js';
import type { ClusterSpec } from '../../../src/schema/index.js';
import { aSpec } from '../../support/cluster-builders.js';
import { FakeManagerApi } from '../../support/fake-manager-api.js';
import { FakeResourceWriter } from '../../support/fake-resource-writer.js';
import { aCredentialsSecret, anAccount, anImplyCluster, aSecret, clusterUid, MapLister } from '../../support/implycluster-builders.js';
import { ManualClock } from '../../support/manual-clock.js';
import { RecordingEventRecorder } from '../../support/recording-event-recorder.js';

const key = 'analytics/clicks';
const { fastMs, slowMs, busyMaxMs } = defaultPollIntervals;

/** The reconciler wired to fakes, with helpers to read what it wrote. */
function setUp(resource: ImplyCluster = anImplyCluster(), options: { fake?: FakeManagerApi; mayWrite?: () => boolean } = {}) {
  const fake = options.fake ?? new FakeManagerApi();
  const clusters = new FakeResourceWriter<ImplyCluster>();
  clusters.put(resource);
  const accounts = new MapLister<ImplyAccount>([anAccount()]);
  const secrets = new MapLister<V1Secret>([aCredentialsSecret()]);
  const events = new RecordingEventRecorder();
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const jitter = { value: 0.5 };
  const reconciler = new ImplyClusterReconciler({
    clusters,
    secrets,
    accounts: new AccountClients({ accounts, secrets, clientFor: () => fake }),
    client: clusters,
    events,
    clock,
    polls: defaultPollIntervals,
    random: () => jitter.value,
    ...(options.mayWrite ? { mayWrite: options.mayWrite } : {}),
  });
  const stored = (): ImplyCluster => {
    const object = clusters.get(key);
    if (object === undefined) throw new Error(`${key} is gone`);
    return object;
  };
  return {
    fake,
    clusters,
    accounts,
    secrets,
    events,
    clock,
    jitter,
    reconcile: () => reconciler.reconcile({ key, reconcileId: 'r1', signal: new AbortController().signal, log: pino({ level: 'silent' }) }),
    stored,
    status: () => stored().status ?? {},
    /** `status/reason` of a condition. */
    condition: (type: string) => {
      const c = findCondition(stored().status?.conditions, type);
      return c === undefined ? undefined : `${c.status}/${c.reason}`;
    },
    message: (type: string) => findCondition(stored().status?.conditions, type)?.message,
    edit: (change: (resource: ImplyCluster) => void) => clusters.edit(key, change),
    clusterId: () => {
      const id = stored().status?.clusterId;
      if (id === undefined) throw new Error('no cluster id recorded');
      return id;
    },
  };
}

type Harness = ReturnType<typeof setUp>;

/** Creates the Imply cluster and lets it start: the steady state most cases start from. */
async function running(resource: ImplyCluster = anImplyCluster(), options: { fake?: FakeManagerApi } = {}): Promise<Harness> {
  const h = setUp(resource, options);
  await h.reconcile();
  h.fake.settleAll();
  await h.reconcile();
  expect(h.condition('Ready')).toBe('True/Available');
  h.events.clear();
  return h;
}

/** Counts of writes since the call: to the API, to status, to metadata. */
function writesSince(h: Harness) {
  const api = h.fake.writeCount();
  const status = h.clusters.statusWriteCount();
  const metadata = h.clusters.metadataWriteCount();
  return () => ({ api: h.fake.writeCount() - api, status: h.clusters.statusWriteCount() - status, metadata: h.clusters.metadataWriteCount() - metadata });
}

const scaleQueryTo = (replicas: number) => (r: ImplyCluster) => {
  r.spec.cluster.query.replicas = replicas;
};

describe('ImplyClusterReconciler', () => {
  describe('create', () => {
    it('creates the Imply cluster, records its id in status and annotation, and reports Creating', async () => {
      const h = setUp();

      const result = await h.reconcile();

      expect(h.fake.callCount('createCluster')).toBe(1);
      const id = h.clusterId();
      expect(await h.fake.getCluster(id)).toBeDefined();
      expect(h.stored().metadata.annotations?.[clusterIdAnnotation]).toBe(id);
      expect(h.condition('Ready')).toBe('False/Creating');
      expect(h.condition('Reconciling')).toBe('True/Creating');
      expect(h.condition('Synced')).toBe('True/ReconcileSuccess');
      expect(h.condition('Stalled')).toBe('False/NotStalled');
      expect(h.status().state).toBe('STARTING');
      expect(h.status().appliedGeneration).toBe(1);
      expect(h.status().observedGeneration).toBe(1);
      expect(result.requeueAfterMs).toBe(fastMs);
      expect(h.events.reasons()).toEqual(['Created']);
    });

    it('tags the created cluster with the owner tag', async () => {
      const h = setUp();
      await h.reconcile();
      const cluster = await h.fake.getCluster(h.clusterId());
      expect(cluster?.spec.awsTags).toContainEqual({ name: ownerTagName, value: clusterUid });
      expect(cluster?.metadata.name).toBe('clicks-prod');
    });

    it.each([0, 0.999999])('jitters the fast poll by at most a tenth either way (random %s)', async (random) => {
      const h = setUp();
      h.jitter.value = random;
      const { requeueAfterMs } = await h.reconcile();
      expect(requeueAfterMs).toBeGreaterThanOrEqual(fastMs * 0.9);
      expect(requeueAfterMs).toBeLessThanOrEqual(fastMs * 1.1);
    });

    it('polls without writing while the cluster starts, and emits Created only once', async () => {
      const h = setUp();
      await h.reconcile();
      const writes = writesSince(h);
      const result = await h.reconcile();
      expect(writes().api).toBe(0);
      expect(result.requeueAfterMs).toBe(fastMs);
      expect(h.events.reasons()).toEqual(['Created']);
    });
  });

  describe('steady state', () => {
    it('reports Ready=True Available with appliedGeneration and observedGeneration on every condition', async () => {
      const h = setUp();
      await h.reconcile();
      h.fake.settleAll();
      h.events.clear();

      const result = await h.reconcile();

      expect(h.condition('Ready')).toBe('True/Available');
      expect(h.condition('Synced')).toBe('True/ReconcileSuccess');
      expect(h.condition('Reconciling')).toBe('False/Idle');
      expect(h.condition('Stalled')).toBe('False/NotStalled');
      expect(h.status().state).toBe('STARTED');
      expect(h.status().appliedGeneration).toBe(1);
      expect(h.status().servers).toMatchObject({ total: 9, running: 9 });
      for (const c of h.status().conditions ?? []) expect(c.observedGeneration).toBe(1);
      expect(result.requeueAfterMs).toBe(slowMs);
      expect(h.events.reasons()).toEqual(['Started']);
    });

    it('makes no status write, no API write and no event when nothing changed', async () => {
      const h = await running();
      const writes = writesSince(h);
      const reads = h.fake.callCount('getCluster');

      const result = await h.reconcile();

      expect(writes()).toEqual({ api: 0, status: 0, metadata: 0 });
      expect(h.fake.callCount('getCluster')).toBe(reads + 1);
      expect(h.fake.callCount('listServers')).toBe(2);
      expect(h.events.events).toEqual([]);
      expect(result.requeueAfterMs).toBe(slowMs);
    });

    it('makes no status write either when time has passed', async () => {
      const h = await running();
      await h.clock.advance(60 * 60_000);
      const writes = writesSince(h);
      await h.reconcile();
      expect(writes().status).toBe(0);
    });

    it('polls at the interval of the cloud.imply.io/poll-interval annotation', async () => {
      const h = await running();
      h.edit((r) => {
        r.metadata.annotations = { ...r.metadata.annotations, [pollIntervalAnnotation]: '90s' };
      });
      expect((await h.reconcile()).requeueAfterMs).toBe(90_000);
      h.jitter.value = 0;
      expect((await h.reconcile()).requeueAfterMs).toBe(81_000);
    });

    it('falls back to the slow poll when the annotation is not a duration', async () => {
      const h = await running();
      h.edit((r) => {
        r.metadata.annotations = { ...r.metadata.annotations, [pollIntervalAnnotation]: 'soon' };
      });
      expect((await h.reconcile()).requeueAfterMs).toBe(slowMs);
    });
  });

  describe('spec changes', () => {
    it('sends exactly the changed fields once, as a merge patch, and emits UpdateSent', async () => {
      const h = await running();
      const update = vi.spyOn(h.fake, 'updateCluster');
      h.edit(scaleQueryTo(3));

      const result = await h.reconcile();

      expect(update).toHaveBeenCalledTimes(1);
      expect(update.mock.calls[0]?.[0]).toBe(h.clusterId());
      expect(update.mock.calls[0]?.[1]).toEqual({ spec: { query: { replicas: 3 } } });
      const cluster = await h.fake.getCluster(h.clusterId());
      expect(cluster?.spec.query.replicas).toBe(3);
      expect(cluster?.status.resourceVersion).toBe(2);
      expect(h.status().appliedGeneration).toBe(2);
      expect(h.status().observedGeneration).toBe(2);
      expect(h.condition('Ready')).toBe('False/Updating');
      expect(h.condition('Reconciling')).toBe('True/Updating');
      expect(h.events.reasons()).toEqual(['UpdateSent']);
      expect(result.requeueAfterMs).toBe(fastMs);
    });

    it('does not write while the cluster is UPDATING, then sends the latest spec once it settles', async () => {
      const h = await running();
      const update = vi.spyOn(h.fake, 'updateCluster');
      h.edit(scaleQueryTo(3));
      await h.reconcile();

      h.edit(scaleQueryTo(4));
      await h.reconcile();
      h.edit(scaleQueryTo(5));
      await h.reconcile();
      expect(update).toHaveBeenCalledTimes(1);
      expect(h.status().appliedGeneration).toBe(2);
      expect(h.status().observedGeneration).toBe(4);
      expect(h.condition('Ready')).toBe('False/Updating');

      h.fake.settleAll();
      await h.reconcile();
      expect(update).toHaveBeenCalledTimes(2);
      expect(update.mock.calls[1]?.[1]).toEqual({ spec: { query: { replicas: 5 } } });
      expect(h.status().appliedGeneration).toBe(4);

      h.fake.settleAll();
      await h.reconcile();
      expect(update).toHaveBeenCalledTimes(2);
      expect(h.condition('Ready')).toBe('True/Available');
      expect((await h.fake.getCluster(h.clusterId()))?.spec.query.replicas).toBe(5);
    });

    it('does not report changes it sent itself as drift', async () => {
      const h = await running();
      h.edit(scaleQueryTo(3));
      await h.reconcile();
      h.fake.settleAll();
      await h.reconcile();
      expect(h.status().drift).toBeUndefined();
      expect(h.events.reasons()).not.toContain('DriftCorrected');
    });
  });

  describe('drift', () => {
    it('corrects a change made through the API by someone else with one patch, records it and emits DriftCorrected', async () => {
      const h = await running();
      const id = h.clusterId();
      await h.fake.updateCluster(id, { spec: { query: { replicas: 5 } } });
      h.fake.settle(id);
      const update = vi.spyOn(h.fake, 'updateCluster');

      const result = await h.reconcile();

      expect(update).toHaveBeenCalledTimes(1);
      expect(update.mock.calls[0]?.[1]).toEqual({ spec: { query: { replicas: 2 } } });
      expect(h.status().drift).toEqual([{ path: 'cluster.query.replicas', desired: '2', observed: '5', detectedAt: '2026-01-01T00:00:00Z' }]);
      expect(h.events.reasons()).toEqual(['DriftCorrected']);
      expect(h.events.events[0]?.message).toContain('cluster.query.replicas');
      expect(result.requeueAfterMs).toBe(fastMs);

      h.fake.settle(id);
      await h.reconcile();
      expect(update).toHaveBeenCalledTimes(1);
      expect((await h.fake.getCluster(id))?.spec.query.replicas).toBe(2);
      expect(h.condition('Ready')).toBe('True/Available');
    });

    it('does not claim drift corrected when the correcting write is refused as busy', async () => {
      const h = await running();
      const id = h.clusterId();
      await h.fake.updateCluster(id, { spec: { query: { replicas: 5 } } });
      h.fake.settle(id);
      h.fake.failNext('updateCluster', new StateConflictError('busy', 'UPDATING', 'UPDATING', { status: 409 }));

      await h.reconcile();
      expect(h.status().drift).toBeUndefined();
      expect(h.events.reasons()).toEqual(['Busy']);

      await h.reconcile();
      expect(h.status().drift).toMatchObject([{ path: 'cluster.query.replicas' }]);
      expect(h.events.reasons()).toEqual(['Busy', 'DriftCorrected']);
    });

    it('waits, without writing, while someone else’s change is still rolling out', async () => {
      const h = await running();
      await h.fake.updateCluster(h.clusterId(), { spec: { query: { replicas: 5 } } });
      const writes = writesSince(h);
      await h.reconcile();
      expect(writes().api).toBe(0);
      expect(h.condition('Ready')).toBe('False/Updating');
    });
  });

  describe('409 StateConflict', () => {
    const busy = (retryAfterMs?: number) =>
      new StateConflictError('Cluster cannot transition from [UPDATING] to [UPDATING]', 'UPDATING', 'UPDATING', {
        status: 409,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });

    it('reports Reconciling=True Busy, keeps Synced=True, does not throw, and requeues after Retry-After', async () => {
      const h = await running();
      h.edit(scaleQueryTo(3));
      h.fake.failNext('updateCluster', busy(20_000));

      const result = await h.reconcile();

      expect(h.condition('Reconciling')).toBe('True/Busy');
      expect(h.condition('Synced')).toBe('True/ReconcileSuccess');
      expect(h.condition('Stalled')).toBe('False/NotStalled');
      expect(result.requeueAfterMs).toBe(20_000);
      expect(h.status().appliedGeneration).toBe(1);
      expect(h.events.reasons()).toEqual(['Busy']);
    });

    it('keeps the observed state and Ready=False Updating when a write is refused as busy', async () => {
      const h = await running();
      h.edit(scaleQueryTo(3));
      h.fake.failNext('updateCluster', busy());
      await h.reconcile();
      expect(h.status().state).toBe('STARTED');
      expect(h.status().clusterId).toBeDefined();
      expect(h.condition('Ready')).toBe('False/Updating');
    });

    it('bounds the busy requeue by busyMaxMs, and waits at least the fast poll', async () => {
      const h = await running();
      h.edit(scaleQueryTo(3));
      h.fake.failNext('updateCluster', busy(10 * 60_000));
      expect((await h.reconcile()).requeueAfterMs).toBe(busyMaxMs);
      h.fake.failNext('updateCluster', busy());
      expect((await h.reconcile()).requeueAfterMs).toBe(fastMs);
    });

    it('emits Busy once over two busy passes, then sends the change once the cluster accepts it', async () => {
      const h = await running();
      h.edit(scaleQueryTo(3));
      h.fake.failNext('updateCluster', busy());
      h.fake.failNext('updateCluster', busy());
      await h.reconcile();
      await h.reconcile();
      expect(h.events.reasons()).toEqual(['Busy']);

      await h.reconcile();
      expect(h.fake.callCount('updateCluster')).toBe(3);
      expect(h.condition('Reconciling')).toBe('True/Updating');
      expect(h.status().appliedGeneration).toBe(2);
      expect(h.events.reasons()).toEqual(['Busy', 'UpdateSent']);
    });
  });

  describe('400 BadArgument', () => {
    const rejected = () =>
      new BadArgumentError('Request contains invalid arguments', [{ code: 'InvalidValue', target: 'spec.query.replicas', message: 'must be at most 2' }], { status: 400 });

    it('reports Synced=False BadArgument and Stalled=True with each target: message, without throwing', async () => {
      const h = await running();
      h.edit(scaleQueryTo(3));
      h.fake.failNext('updateCluster', rejected());

      await expect(h.reconcile()).resolves.toBeDefined();

      expect(h.condition('Synced')).toBe('False/BadArgument');
      expect(h.condition('Stalled')).toBe('True/BadArgument');
      expect(h.condition('Reconciling')).toBe('False/Idle');
      expect(h.message('Synced')).toContain('spec.query.replicas: must be at most 2');
      expect(h.message('Stalled')).toContain('spec.query.replicas: must be at most 2');
      expect(h.status().appliedGeneration).toBe(1);
      expect(h.events.events).toMatchObject([{ type: 'Warning', reason: 'BadArgument' }]);
    });

    it('does not write to the API again for the rejected generation', async () => {
      const h = await running();
      h.edit(scaleQueryTo(3));
      h.fake.failNext('updateCluster', rejected());
      await h.reconcile();
      const writes = writesSince(h);

      await h.reconcile();
      await h.reconcile();

      expect(writes()).toEqual({ api: 0, status: 0, metadata: 0 });
      expect(h.condition('Synced')).toBe('False/BadArgument');
      expect(h.condition('Stalled')).toBe('True/BadArgument');
      expect(h.events.reasons()).toEqual(['BadArgument']);
    });

    it('writes again once the generation changes, and recovers', async () => {
      const h = await running();
      h.edit(scaleQueryTo(3));
      h.fake.failNext('updateCluster', rejected());
      await h.reconcile();

      h.edit(scaleQueryTo(4));
      await h.reconcile();

      expect(h.fake.callCount('updateCluster')).toBe(2);
      expect((await h.fake.getCluster(h.clusterId()))?.spec.query.replicas).toBe(4);
      expect(h.condition('Synced')).toBe('True/ReconcileSuccess');
      expect(h.condition('Stalled')).toBe('False/NotStalled');
      expect(h.events.reasons()).toEqual(['BadArgument', 'UpdateSent', 'Recovered']);
    });
  });

  describe('errors that the queue retries', () => {
    it('401: Synced=False Unauthorized, Stalled=True, and throws so the queue backs off', async () => {
      const h = await running();
      const error = new UnauthorizedError('Unauthorized', { status: 401 });
      h.fake.failNext('getCluster', error);

      await expect(h.reconcile()).rejects.toBe(error);

      expect(h.condition('Synced')).toBe('False/Unauthorized');
      expect(h.condition('Stalled')).toBe('True/Unauthorized');
      expect(h.events.events).toMatchObject([{ type: 'Warning', reason: 'Unauthorized' }]);
    });

    it('Unavailable: Synced=False ApiUnavailable, and throws with Retry-After preserved', async () => {
      const h = await running();
      h.fake.failNext('getCluster', new UnavailableError('Service Unavailable', 30_000, { status: 503 }));

      const error: unknown = await h.reconcile().then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(UnavailableError);
      expect(retryAfterMsOf(error)).toBe(30_000);
      expect(h.condition('Synced')).toBe('False/ApiUnavailable');
      expect(h.condition('Stalled')).toBe('False/NotStalled');
    });

    it('recovers from ApiUnavailable on the next good pass, with one Recovered event', async () => {
      const h = await running();
      h.fake.failNext('getCluster', new UnavailableError('Service Unavailable', undefined, { status: 503 }));
      await expect(h.reconcile()).rejects.toBeInstanceOf(UnavailableError);
      await h.reconcile();
      expect(h.condition('Synced')).toBe('True/ReconcileSuccess');
      expect(h.condition('Ready')).toBe('True/Available');
      expect(h.events.reasons()).toEqual(['ApiUnavailable', 'Recovered']);
    });
  });

  describe('recorded cluster gone', () => {
    /** Deletes the Imply cluster behind the controller's back: stop, delete, let it go. */
    async function deleteElsewhere(h: Harness): Promise<void> {
      const id = h.clusterId();
      await h.fake.updateCluster(id, { spec: { desiredState: 'STOPPED' } });
      h.fake.settle(id);
      await h.fake.deleteCluster(id);
      h.fake.settle(id);
      expect(await h.fake.getCluster(id)).toBeUndefined();
    }

    it('reports Ready=False NotFound with one Warning event, and never re-creates it', async () => {
      const h = await running();
      await deleteElsewhere(h);
      const id = h.clusterId();

      await h.reconcile();
      await h.reconcile();

      expect(h.fake.callCount('createCluster')).toBe(1);
      expect(h.condition('Ready')).toBe('False/NotFound');
      expect(h.condition('Reconciling')).toBe('False/Idle');
      expect(h.status().clusterId).toBe(id);
      expect(h.events.events).toMatchObject([{ type: 'Warning', reason: 'NotFound' }]);
    });
  });

  describe('no duplicates', () => {
    const ownedSpec = (): ClusterSpec => ({ ...aSpec(), awsTags: [{ name: ownerTagName, value: clusterUid }] });

    it('finds a cluster created earlier with its owner tag, records its id, and creates nothing', async () => {
      const fake = new FakeManagerApi();
      const earlier = await fake.createCluster({ metadata: { name: 'clicks-prod' }, spec: ownedSpec() });
      const h = setUp(anImplyCluster(), { fake });

      await h.reconcile();

      expect(fake.callCount('createCluster')).toBe(1);
      expect(h.status().clusterId).toBe(earlier.metadata.uid);
      expect(h.stored().metadata.annotations?.[clusterIdAnnotation]).toBe(earlier.metadata.uid);
      expect(h.condition('Ready')).toBe('False/Creating');
    });

    it('finds its own cluster by owner tag even under another name', async () => {
      const fake = new FakeManagerApi();
      const earlier = await fake.createCluster({ metadata: { name: 'renamed-elsewhere' }, spec: ownedSpec() });
      const h = setUp(anImplyCluster(), { fake });
      await h.reconcile();
      expect(fake.callCount('createCluster')).toBe(1);
      expect(h.status().clusterId).toBe(earlier.metadata.uid);
    });

    it('reports Synced=False Conflict and Stalled for a name taken by a cluster it does not own, without writing', async () => {
      const fake = new FakeManagerApi();
      await fake.createCluster({ metadata: { name: 'clicks-prod' }, spec: aSpec() });
      const h = setUp(anImplyCluster(), { fake });
      const before = fake.writeCount();

      await expect(h.reconcile()).resolves.toBeDefined();

      expect(fake.writeCount()).toBe(before);
      expect(h.status().clusterId).toBeUndefined();
      expect(h.stored().metadata.annotations?.[clusterIdAnnotation]).toBeUndefined();
      expect(h.condition('Synced')).toBe('False/Conflict');
      expect(h.condition('Stalled')).toBe('True/Conflict');
      expect(h.events.events).toMatchObject([{ type: 'Warning', reason: 'Conflict' }]);
    });

    it('adopts the cluster named by the cloud.imply.io/cluster-id annotation', async () => {
      const fake = new FakeManagerApi();
      const existing = await fake.createCluster({ metadata: { name: 'legacy' }, spec: aSpec() });
      fake.settleAll();
      const h = setUp(anImplyCluster({}, { annotations: { [clusterIdAnnotation]: existing.metadata.uid } }), { fake });

      await h.reconcile();

      expect(fake.writeCount()).toBe(1);
      expect(h.status().clusterId).toBe(existing.metadata.uid);
      expect(h.condition('Ready')).toBe('True/Available');
    });
  });

  describe('writes held back', () => {
    async function adoptedObserveOnly(): Promise<Harness> {
      const fake = new FakeManagerApi();
      const existing = await fake.createCluster({ metadata: { name: 'clicks-prod' }, spec: aSpec({ query: { replicas: 3, instanceType: 'c5.2xlarge' } }) });
      fake.settleAll();
      const resource = anImplyCluster({ managementPolicy: 'ObserveOnly' }, { annotations: { [clusterIdAnnotation]: existing.metadata.uid } });
      return setUp(resource, { fake });
    }

    it('ObserveOnly: reports the state and never writes to the API, even when the spec differs', async () => {
      const h = await adoptedObserveOnly();
      const before = h.fake.writeCount();

      await h.reconcile();
      await h.reconcile();

      expect(h.fake.writeCount()).toBe(before);
      expect(h.status().state).toBe('STARTED');
      expect(h.status().servers).toMatchObject({ total: 10 });
      expect(h.condition('Ready')).toBe('False/Updating');
      expect(h.condition('Synced')).toBe('True/ReconcileSuccess');
      expect(h.events.events).toEqual([]);
    });

    it('ObserveOnly: does not report Reconciling for a change it will never send', async () => {
      const h = await adoptedObserveOnly();
      await h.reconcile();
      expect(h.condition('Reconciling')).toBe('False/Idle');
    });

    it('ObserveOnly: never creates a missing cluster', async () => {
      const h = setUp(anImplyCluster({ managementPolicy: 'ObserveOnly' }));
      await h.reconcile();
      expect(h.fake.writeCount()).toBe(0);
      expect(h.status().clusterId).toBeUndefined();
    });

    it('ObserveOnly: reports a missing cluster as NotFound, not as Creating', async () => {
      const h = setUp(anImplyCluster({ managementPolicy: 'ObserveOnly' }));
      const result = await h.reconcile();
      expect(h.condition('Ready')).toBe('False/NotFound');
      expect(h.condition('Reconciling')).toBe('False/Idle');
      expect(h.events.events).toEqual([]);
      expect(result.requeueAfterMs).toBe(slowMs);
    });

    it('paused: makes no API write and reports Synced=False ReconcilePaused', async () => {
      const h = await running();
      h.edit((r) => {
        r.metadata.annotations = { ...r.metadata.annotations, [pausedAnnotation]: 'true' };
        r.spec.cluster.query.replicas = 3;
      });
      const before = h.fake.writeCount();

      await h.reconcile();
      await h.reconcile();

      expect(h.fake.writeCount()).toBe(before);
      expect(h.condition('Synced')).toBe('False/ReconcilePaused');
      expect(h.condition('Ready')).toBe('False/Updating');
      expect(h.condition('Reconciling')).toBe('False/Idle');
      expect(h.events.events.map((e) => e.reason)).toEqual(['ReconcilePaused']);

      h.edit((r) => {
        r.metadata.annotations = { ...r.metadata.annotations, [pausedAnnotation]: 'false' };
      });
      await h.reconcile();
      expect(h.fake.writeCount()).toBe(before + 1);
      expect(h.condition('Synced')).toBe('True/ReconcileSuccess');
    });

    it('paused: creates nothing', async () => {
      const h = setUp(anImplyCluster({}, { annotations: { [pausedAnnotation]: 'true' } }));
      await h.reconcile();
      expect(h.fake.writeCount()).toBe(0);
      expect(h.condition('Synced')).toBe('False/ReconcilePaused');
    });
  });

  describe('account and credentials', () => {
    it('reports Synced=False AccountNotFound and throws when the ImplyAccount is missing', async () => {
      const h = setUp();
      h.accounts.remove('analytics/acme');

      await expect(h.reconcile()).rejects.toMatchObject({ code: 'AccountNotFound' });

      expect(h.condition('Synced')).toBe('False/AccountNotFound');
      expect(h.fake.callCount('listClusters')).toBe(0);
      expect(h.events.events).toMatchObject([{ type: 'Warning', reason: 'AccountNotFound' }]);
    });

    it('uses the account named "default" when spec.accountRef is omitted', async () => {
      const { accountRef: _omitted, ...spec } = anImplyCluster().spec;
      const h = setUp({ ...anImplyCluster(), spec });
      await expect(h.reconcile()).rejects.toMatchObject({ code: 'AccountNotFound' });
      expect(h.message('Synced')).toContain('default');
    });

    it('reports Synced=False CredentialsNotFound and throws when the credentials Secret is missing', async () => {
      const h = setUp();
      h.secrets.remove('analytics/acme-credentials');

      await expect(h.reconcile()).rejects.toMatchObject({ code: 'CredentialsNotFound' });

      expect(h.condition('Synced')).toBe('False/CredentialsNotFound');
      expect(h.fake.writeCount()).toBe(0);
    });

    it('recovers once the missing account appears', async () => {
      const h = setUp();
      h.accounts.remove('analytics/acme');
      await expect(h.reconcile()).rejects.toBeDefined();
      h.accounts.put(anAccount());
      await h.reconcile();
      expect(h.fake.callCount('createCluster')).toBe(1);
      expect(h.condition('Synced')).toBe('True/ReconcileSuccess');
      expect(h.events.reasons()).toEqual(['AccountNotFound', 'Created', 'Recovered']);
    });
  });

  describe('stop and start', () => {
    it('stops the cluster on desiredState STOPPED and reports Ready=True Stopped, then starts it again', async () => {
      const h = await running();
      const update = vi.spyOn(h.fake, 'updateCluster');
      const setDesiredState = (state: 'STARTED' | 'STOPPED') => (r: ImplyCluster) => {
        r.spec.cluster.desiredState = state;
      };

      h.edit(setDesiredState('STOPPED'));
      await h.reconcile();
      expect(update.mock.calls[0]?.[1]).toEqual({ spec: { desiredState: 'STOPPED' } });
      expect(h.condition('Ready')).toBe('False/Stopping');
      expect(h.events.reasons()).toEqual(['StopSent']);

      h.fake.settleAll();
      const stopped = await h.reconcile();
      expect(h.condition('Ready')).toBe('True/Stopped');
      expect(h.condition('Reconciling')).toBe('False/Idle');
      expect(h.status().state).toBe('STOPPED');
      expect(h.events.reasons()).toEqual(['StopSent', 'Stopped']);
      expect(stopped.requeueAfterMs).toBe(slowMs);

      h.edit(setDesiredState('STARTED'));
      await h.reconcile();
      expect(update.mock.calls[1]?.[1]).toEqual({ spec: { desiredState: 'STARTED' } });
      expect(h.condition('Ready')).toBe('False/Starting');
      h.fake.settleAll();
      await h.reconcile();
      expect(h.condition('Ready')).toBe('True/Available');
      expect(h.events.reasons()).toEqual(['StopSent', 'Stopped', 'StartSent', 'Started']);
      expect(update).toHaveBeenCalledTimes(2);
    });
  });

  describe('metadata store password', () => {
    const password = 'pw-Zq81!not-in-status';
    const withPasswordRef = () =>
      anImplyCluster({
        cluster: {
          ...aSpec(),
          metadataStore: { type: 'postgresql', host: 'db.internal', port: 5432, database: 'druid', user: 'druid', passwordSecretRef: { name: 'clicks-metadata-db', key: 'password' } },
        },
      });

    it('sends the password from the Secret on create, and never puts it in status or events', async () => {
      const h = setUp(withPasswordRef());
      h.secrets.put(aSecret('clicks-metadata-db', { password }));

      await h.reconcile();
      h.fake.settleAll();
      await h.reconcile();
      await h.reconcile();

      expect(h.fake.storedPassword(h.clusterId())).toBe(password);
      expect(h.fake.callCount('createCluster')).toBe(1);
      expect(h.fake.writeCount()).toBe(1);
      expect(h.condition('Ready')).toBe('True/Available');
      expect(JSON.stringify(h.stored())).not.toContain(password);
      expect(JSON.stringify(h.clusters.statusPatches())).not.toContain(password);
      expect(JSON.stringify(h.events.events)).not.toContain(password);
    });

    it('reports CredentialsNotFound, and creates nothing, when the password Secret is missing', async () => {
      const h = setUp(withPasswordRef());
      await expect(h.reconcile()).rejects.toMatchObject({ code: 'CredentialsNotFound' });
      expect(h.fake.writeCount()).toBe(0);
      expect(h.condition('Synced')).toBe('False/CredentialsNotFound');
      expect(h.message('Synced')).toContain('clicks-metadata-db');
    });
  });

  describe('the resource', () => {
    it('does nothing for a resource that no longer exists', async () => {
      const h = setUp();
      h.clusters.remove(key);
      expect(await h.reconcile()).toEqual({});
      expect(h.fake.callCount('listClusters')).toBe(0);
    });

    it('never writes spec', async () => {
      const h = await running();
      h.edit(scaleQueryTo(3));
      const spec = structuredClone(h.stored().spec);
      await h.reconcile();
      h.fake.settleAll();
      await h.reconcile();
      expect(h.stored().spec).toEqual(spec);
    });
  });
});

describe('leadership fence', () => {
  it('makes no Imply write once the fence says this replica lost leadership', async () => {
    const h = setUp(anImplyCluster(), { mayWrite: () => false });
    await h.reconcile();
    expect(h.fake.writeCount()).toBe(0);
  });

  it('asks the fence again right before the write, not only at the start of the pass', async () => {
    let asked = 0;
    const h = setUp(anImplyCluster(), { mayWrite: () => ++asked === 1 });
    await h.reconcile();
    expect(asked).toBeGreaterThanOrEqual(2);
    expect(h.fake.writeCount()).toBe(0);
  });
});
