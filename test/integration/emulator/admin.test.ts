// The /_emulator/ admin API: request counts, every fault kind, runtime config, reset.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultVersions, type RequestCounts } from '../../../src/emulator/index.js';
import type { ObservedCluster } from '../../../src/schema/index.js';
import { pollUntil } from '../../../src/kube/poll-until.js';
import { clusterSpec, EmulatorSession, token } from './emulator-session.js';

let session: EmulatorSession;
beforeAll(async () => {
  session = await EmulatorSession.start({ clients: [{ id: 'c', secret: 's' }] });
});
afterAll(() => session.close());
beforeEach(async () => {
  await session.admin('POST', '/reset');
});

const counts = async () => (await session.admin('GET', '/requests')).json as RequestCounts;
const addFault = async (fault: unknown) => {
  const res = await session.admin('POST', '/faults', { body: fault });
  expect(res.status).toBe(201);
  return res.json as { id: string };
};

describe('request counts', () => {
  it('counts API calls by operation and status, token and admin calls apart', async () => {
    await session.call('GET', '/clusters');
    await session.call('GET', '/clusters');
    await session.call('GET', '/clusters/x');
    await session.call('GET', '/clusters', { token: null });
    await session.call('POST', session.emulator.tokenUrl, { rawBody: 'grant_type=client_credentials&client_id=c&client_secret=s', token: null, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const c = await counts();
    expect(c.api).toEqual({ listClusters: { 200: 2, 401: 1 }, getCluster: { 404: 1 } });
    expect(c.token).toEqual({ token: { 200: 1 } });
    expect(c.admin).toEqual({ reset: { 204: 1 } });
    expect(c.totals).toMatchObject({ api: 4, token: 1, admin: 1 });
    expect((await session.admin('DELETE', '/requests')).status).toBe(204);
    expect((await counts()).totals).toEqual({ api: 0, token: 0, admin: 1, other: 0 });
  });
});

describe('faults', () => {
  it('error: 5xx with and without Retry-After, for the given operations and count', async () => {
    await addFault({ kind: 'error', status: 503, retryAfterSeconds: 2, operations: ['listClusters'], count: 1 });
    const first = await session.call('GET', '/clusters');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(first.json).toEqual({ error: { code: 'Unavailable', message: 'Service unavailable' } });
    expect((await session.call('GET', '/clusters')).status).toBe(200);
    await addFault({ kind: 'error', status: 500, count: 1 });
    const plain = await session.call('GET', '/clusters/x');
    expect(plain.status).toBe(500);
    expect(plain.headers.get('retry-after')).toBeNull();
    expect((await counts()).api).toMatchObject({ listClusters: { 503: 1, 200: 1 }, getCluster: { 500: 1 } });
  });

  it('error 429: TooManyRequests with Retry-After', async () => {
    await addFault({ kind: 'error', status: 429, count: 1 });
    const res = await session.call('GET', '/clusters');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.json).toMatchObject({ error: { code: 'TooManyRequests' } });
  });

  it('latency: delays the answer, which is otherwise normal', async () => {
    await addFault({ kind: 'latency', latencyMs: 150, count: 1 });
    const started = Date.now();
    expect((await session.call('GET', '/clusters')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('latency: a write whose client gave up during the delay still runs, as at a slow server', async () => {
    await addFault({ kind: 'latency', operations: ['createCluster'], latencyMs: 300, count: 1 });
    const body = JSON.stringify({ metadata: { name: 'abandoned' }, spec: clusterSpec() });
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    await expect(fetch(`${session.emulator.url}/clusters`, { method: 'POST', headers, body, signal: AbortSignal.timeout(50) })).rejects.toThrow();
    const created = await pollUntil(async () => ((await counts()).api['createCluster']?.['202'] === 1 ? true : undefined), { timeoutMs: 5000, intervalMs: 20 });
    expect(created).toBe(true);
    expect(((await session.call('GET', '/clusters')).json as ObservedCluster[]).map((c) => c.metadata.name)).toEqual(['abandoned']);
  });

  it('drop: destroys the connection without an answer', async () => {
    await addFault({ kind: 'drop', operations: ['getCluster'], count: 1 });
    await expect(session.call('GET', '/clusters/x')).rejects.toThrow();
    expect((await counts()).api).toEqual({ getCluster: { dropped: 1 } });
  });

  it('conflict: 409 StateConflict from the current state to the requested one', async () => {
    const uid = await session.clusterIn('c1', 'STARTED');
    await addFault({ kind: 'conflict', operations: ['updateCluster'], count: 1 });
    const res = await session.call('PATCH', `/clusters/${uid}`, { body: { spec: { version: '2022.01' } } });
    expect(res.status).toBe(409);
    expect(res.text).toBe(`{"error":{"code":"StateConflict","message":"Cluster [${uid}] cannot transition from [STARTED] to [UPDATING]"}}`);
    expect((await session.call('PATCH', `/clusters/${uid}`, { body: { spec: { version: '2022.01' } } })).status).toBe(202);
  });

  it('fail: the transition a write starts ends in FAILED; or fail a cluster at once', async () => {
    const uid = await session.clusterIn('c1', 'STARTED');
    await addFault({ kind: 'fail', clusterId: uid, count: 1 });
    await session.call('PATCH', `/clusters/${uid}`, { body: { spec: { version: '2022.01' } } });
    const failed = await session.waitForState(uid, 'FAILED');
    expect(failed.status.updateState?.phase).toBe('FAILED');
    expect(failed.status.events?.at(-1)).toMatchObject({ type: 'ERROR', reason: 'ClusterFailed' });
    const other = await session.clusterIn('c2', 'STARTED');
    const res = await session.admin('POST', `/clusters/${other}/fail`);
    expect(res.status).toBe(200);
    expect((res.json as ObservedCluster).status.state).toBe('FAILED');
  });

  it('can target the token endpoint by name', async () => {
    await addFault({ kind: 'error', status: 503, operations: ['token'], count: 1 });
    const res = await session.call('POST', session.emulator.tokenUrl, { rawBody: 'grant_type=client_credentials&client_id=c&client_secret=s', token: null, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(503);
  });

  it('lists, removes and clears faults; refuses invalid ones', async () => {
    const a = await addFault({ kind: 'latency', latencyMs: 1 });
    await addFault({ kind: 'error', probability: 0.5 });
    expect(((await session.admin('GET', '/faults')).json as { faults: unknown[] }).faults).toHaveLength(2);
    expect((await session.admin('DELETE', `/faults/${a.id}`)).status).toBe(204);
    expect((await session.admin('DELETE', `/faults/${a.id}`)).status).toBe(404);
    expect((await session.admin('DELETE', '/faults')).status).toBe(204);
    expect((await session.admin('GET', '/faults')).json).toEqual({ faults: [] });
    for (const bad of [{ kind: 'explode' }, { kind: 'error', probability: 2 }, { kind: 'error', operations: ['nope'] }, { kind: 'error', extra: 1 }]) {
      const res = await session.admin('POST', '/faults', { body: bad });
      expect([JSON.stringify(bad), res.status]).toEqual([JSON.stringify(bad), 400]);
    }
  });

  it('makes the same probabilistic decisions for the same seed', async () => {
    const run = async () => {
      await session.admin('POST', '/reset');
      await addFault({ kind: 'error', probability: 0.5, status: 500 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await session.call('GET', '/clusters')).status);
      return statuses;
    };
    const first = await run();
    expect(new Set(first)).toEqual(new Set([200, 500]));
    expect(await run()).toEqual(first);
  });
});

describe('config and reset', () => {
  it('reads and changes transition length and token lifetime at runtime', async () => {
    expect((await session.admin('GET', '/config')).json).toEqual({ transitionMs: 30, tokenTtlSeconds: 300, versions: defaultVersions });
    const res = await session.admin('PUT', '/config', { body: { transitionMs: 0 } });
    expect(res.json).toEqual({ transitionMs: 0, tokenTtlSeconds: 300, versions: defaultVersions });
    expect((await session.admin('PUT', '/config', { body: { transitionMs: -1 } })).status).toBe(400);
    await session.admin('PUT', '/config', { body: { transitionMs: 30 } });
  });

  it('reset clears clusters, faults and counts, and restarts ids from the seed', async () => {
    const first = await session.create('c1');
    await addFault({ kind: 'latency', latencyMs: 1 });
    expect((await session.admin('POST', '/reset')).status).toBe(204);
    expect((await session.call('GET', '/clusters')).json).toEqual([]);
    expect((await session.admin('GET', '/faults')).json).toEqual({ faults: [] });
    expect((await session.create('c1')).metadata.uid).toBe(first.metadata.uid);
    expect((await counts()).api).toEqual({ listClusters: { 200: 1 }, createCluster: { 202: 1 } });
  });
});
