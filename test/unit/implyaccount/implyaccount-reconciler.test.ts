// The ImplyAccount reconciler's branches: the real reconciler and AccountClients over
// FakeManagerApi, an in-memory resource store and a manual clock.
import type { V1Secret } from '@kubernetes/client-node';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { retryAfterMsOf } from '../../../src/controller/queue-action.js';
import { AccountClients } from '../../../src/implyaccount/account-clients.js';
import { ImplyAccountReconciler } from '../../../src/implyaccount/implyaccount-reconciler.js';
import type { ImplyAccount } from '../../../src/implyaccount/implyaccount-resource.js';
import { findCondition } from '../../../src/kube/conditions.js';
import { ForbiddenError, UnauthorizedError, UnavailableError } from '../../../src/manager/errors.js';
import { FakeManagerApi } from '../../support/fake-manager-api.js';
import { FakeResourceWriter } from '../../support/fake-resource-writer.js';
import { aCredentialsSecret, anAccount, aSecret, MapLister } from '../../support/implycluster-builders.js';
import { ManualClock } from '../../support/manual-clock.js';
import { RecordingEventRecorder } from '../../support/recording-event-recorder.js';

const key = 'analytics/acme';

function setUp() {
  const fake = new FakeManagerApi();
  const accounts = new FakeResourceWriter<ImplyAccount>();
  accounts.put(anAccount());
  const secrets = new MapLister<V1Secret>([aCredentialsSecret()]);
  const events = new RecordingEventRecorder();
  let clientsBuilt = 0;
  const clients = new AccountClients({
    accounts,
    secrets,
    clientFor: () => {
      clientsBuilt++;
      return fake;
    },
  });
  const reconciler = new ImplyAccountReconciler({ accounts, clients, client: accounts, events, clock: new ManualClock(Date.UTC(2026, 0, 1)) });
  const ready = () => {
    const c = findCondition(accounts.get(key)?.status?.conditions, 'Ready');
    return c === undefined ? undefined : `${c.status}/${c.reason}`;
  };
  return {
    fake,
    accounts,
    secrets,
    events,
    ready,
    clientsBuilt: () => clientsBuilt,
    reconcile: () => reconciler.reconcile({ key, reconcileId: 'r1', signal: new AbortController().signal, log: pino({ level: 'silent' }) }),
  };
}

describe('ImplyAccountReconciler', () => {
  it('reports Ready=True CredentialsValid after one authenticated read, and re-checks later', async () => {
    const h = setUp();

    const result = await h.reconcile();

    expect(h.ready()).toBe('True/CredentialsValid');
    expect(h.accounts.get(key)?.status?.observedGeneration).toBe(1);
    expect(findCondition(h.accounts.get(key)?.status?.conditions, 'Ready')?.observedGeneration).toBe(1);
    expect(h.fake.callCount('getCluster')).toBe(1);
    expect(h.fake.writeCount()).toBe(0);
    expect(h.events.events).toMatchObject([{ type: 'Normal', reason: 'CredentialsValid' }]);
    expect(result.requeueAfterMs).toBe(300_000);
  });

  it('makes no status write and emits no event when nothing changed', async () => {
    const h = setUp();
    await h.reconcile();
    const writes = h.accounts.statusWriteCount();

    await h.reconcile();

    expect(h.accounts.statusWriteCount()).toBe(writes);
    expect(h.events.reasons()).toEqual(['CredentialsValid']);
  });

  it.each([
    ['401', new UnauthorizedError('Unauthorized', { status: 401 })],
    ['403', new ForbiddenError('Forbidden', { status: 403 })],
  ])('reports Ready=False Unauthorized on %s, with a Warning event, without throwing', async (_status, error) => {
    const h = setUp();
    h.fake.failNext('getCluster', error);

    const result = await h.reconcile();

    expect(h.ready()).toBe('False/Unauthorized');
    expect(h.events.events).toMatchObject([{ type: 'Warning', reason: 'Unauthorized' }]);
    expect(result.requeueAfterMs).toBe(300_000);
  });

  it('reports Ready=False CredentialsNotFound when the Secret is missing, without calling the API', async () => {
    const h = setUp();
    h.secrets.remove('analytics/acme-credentials');

    await h.reconcile();

    expect(h.ready()).toBe('False/CredentialsNotFound');
    expect(h.fake.callCount('getCluster')).toBe(0);
    expect(h.events.events).toMatchObject([{ type: 'Warning', reason: 'CredentialsNotFound' }]);
  });

  it('reports CredentialsNotFound, without any value of it, when the Secret holds neither a token nor a client', async () => {
    const h = setUp();
    h.secrets.put(aSecret('acme-credentials', { clientId: 'id-only', clientSecret: 'half-a-client-secret' }));

    await h.reconcile();

    expect(h.ready()).toBe('False/CredentialsNotFound');
    expect(JSON.stringify(h.accounts.get(key))).not.toContain('half-a-client-secret');
    expect(JSON.stringify(h.events.events)).not.toContain('half-a-client-secret');
  });

  it('reports Ready=False ApiUnavailable and throws, keeping Retry-After, when the API is down', async () => {
    const h = setUp();
    h.fake.failNext('getCluster', new UnavailableError('Service Unavailable', 15_000, { status: 503 }));

    const error: unknown = await h.reconcile().then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(UnavailableError);
    expect(retryAfterMsOf(error)).toBe(15_000);
    expect(h.ready()).toBe('False/ApiUnavailable');
  });

  it('uses a new client once the Secret changes, and reports valid credentials again', async () => {
    const h = setUp();
    h.fake.failNext('getCluster', new UnauthorizedError('Unauthorized', { status: 401 }));
    await h.reconcile();
    expect(h.clientsBuilt()).toBe(1);

    h.secrets.put({ ...aSecret('acme-credentials', { token: 'rotated-token' }), metadata: { name: 'acme-credentials', namespace: 'analytics', resourceVersion: '2' } });
    await h.reconcile();

    expect(h.clientsBuilt()).toBe(2);
    expect(h.ready()).toBe('True/CredentialsValid');
    expect(h.events.reasons()).toEqual(['Unauthorized', 'CredentialsValid']);
  });

  it('does nothing for an account that no longer exists', async () => {
    const h = setUp();
    h.accounts.remove(key);
    expect(await h.reconcile()).toEqual({});
    expect(h.fake.callCount('getCluster')).toBe(0);
  });
});
