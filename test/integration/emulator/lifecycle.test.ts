// Every row of the contract's lifecycle table over HTTP, with short real transitions.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ObservedCluster, Server } from '../../../src/schema/index.js';
import { clusterSpec, EmulatorSession, eventually } from './emulator-session.js';

let session: EmulatorSession;
beforeAll(async () => {
  session = await EmulatorSession.start({ transitionMs: 40 });
});
afterAll(() => session.close());
beforeEach(async () => {
  await session.admin('POST', '/reset');
  await session.admin('PUT', '/config', { body: { transitionMs: 40 } });
});

const patch = (uid: string, body: unknown) => session.call('PATCH', `/clusters/${uid}`, { body });
const servers = async (uid: string) => (await session.call('GET', `/clusters/${uid}/servers`)).json as Server[];

describe('lifecycle table', () => {
  it('— + create STARTED: STARTING → STARTED, resourceVersion 1; load balancers get hostnames once started', async () => {
    const created = await session.create('c1', clusterSpec({ loadBalancers: [{ type: 'QUERY' }] }));
    expect(created.status).toMatchObject({ state: 'STARTING', resourceVersion: 1 });
    expect(created.status.loadBalancers).toBeUndefined();
    const started = await session.waitForState(created.metadata.uid, 'STARTED');
    expect(started.status.resourceVersion).toBe(1);
    expect(started.status.loadBalancers?.[0]?.hostname).toMatch(/^query-.+/);
    expect(started.status.events?.map((e) => e.reason)).toEqual(['ClusterCreated', 'ClusterStarting', 'ClusterStarted']);
  });

  it('— + create STOPPED: STOPPED, resourceVersion 1', async () => {
    const created = await session.create('c1', clusterSpec({ desiredState: 'STOPPED' }));
    expect(created.status).toMatchObject({ state: 'STOPPED', resourceVersion: 1 });
  });

  it('STARTED + spec change: UPDATING → STARTED, resourceVersion + 1, updateState progressing', async () => {
    const uid = await session.clusterIn('c1', 'STARTED');
    await session.admin('PUT', '/config', { body: { transitionMs: 400 } });
    const res = await patch(uid, { spec: { query: { replicas: 3 } } });
    expect(res.status).toBe(202);
    expect((res.json as ObservedCluster).status).toMatchObject({ state: 'UPDATING', resourceVersion: 2, updateState: { targetResourceVersion: 2, serversUpdated: 0, serversTotal: 6 } });
    const midway = await eventually(async () => {
      const c = await session.get(uid);
      if ((c.status.updateState?.serversUpdated ?? 0) === 0) throw new Error('no progress yet');
      return c;
    });
    expect(midway.status.updateState?.phase).toBe('IN_PROGRESS');
    const done = await session.waitForState(uid, 'STARTED');
    expect(done.status.resourceVersion).toBe(2);
    expect(done.status.updateState).toBeUndefined();
    expect((await servers(uid)).filter((s) => s.type === 'QUERY' && s.state === 'RUNNING')).toHaveLength(3);
  });

  it('STARTED + desiredState STOPPED: STOPPING → STOPPED, resourceVersion + 1, servers STOPPED, no load balancers', async () => {
    const uid = await session.clusterIn('c1', 'STARTED');
    expect(((await patch(uid, { spec: { desiredState: 'STOPPED' } })).json as ObservedCluster).status).toMatchObject({ state: 'STOPPING', resourceVersion: 2 });
    const stopped = await session.waitForState(uid, 'STOPPED');
    expect(stopped.status.loadBalancers).toBeUndefined();
    expect((await servers(uid)).every((s) => s.state === 'STOPPED')).toBe(true);
  });

  it('STOPPED + desiredState STARTED: STARTING → STARTED, resourceVersion + 1', async () => {
    const uid = await session.clusterIn('c1', 'STOPPED');
    expect(((await patch(uid, { spec: { desiredState: 'STARTED' } })).json as ObservedCluster).status).toMatchObject({ state: 'STARTING', resourceVersion: 2 });
    await session.waitForState(uid, 'STARTED');
  });

  it('STOPPED + other change: stays STOPPED, resourceVersion + 1, applied at next start', async () => {
    const uid = await session.clusterIn('c1', 'STOPPED');
    const res = await patch(uid, { spec: { query: { replicas: 2 } } });
    expect(res.status).toBe(202);
    expect((res.json as ObservedCluster).status).toMatchObject({ state: 'STOPPED', resourceVersion: 2 });
    expect(await servers(uid)).toEqual([]);
    await patch(uid, { spec: { desiredState: 'STARTED' } });
    await session.waitForState(uid, 'STARTED');
    expect((await servers(uid)).filter((s) => s.type === 'QUERY')).toHaveLength(2);
  });

  it('FAILED + spec change: UPDATING, resourceVersion + 1', async () => {
    const uid = await session.clusterIn('c1', 'FAILED');
    expect((await session.get(uid)).status.state).toBe('FAILED');
    expect(((await patch(uid, { spec: { version: '2021.02' } })).json as ObservedCluster).status).toMatchObject({ state: 'UPDATING', resourceVersion: 2 });
    await session.waitForState(uid, 'STARTED');
  });

  it.each(['STOPPED', 'FAILED'] as const)('%s + delete: TERMINATING → gone (404)', async (state) => {
    const uid = await session.clusterIn('c1', state);
    const res = await session.call('DELETE', `/clusters/${uid}`);
    expect(res.status).toBe(202);
    expect((res.json as ObservedCluster).status.state).toBe('TERMINATING');
    await eventually(async () => expect((await session.call('GET', `/clusters/${uid}`)).status).toBe(404));
  });

  it('STARTED + delete: 409 cannot transition from [STARTED] to [TERMINATED]', async () => {
    const uid = await session.clusterIn('c1', 'STARTED');
    const res = await session.call('DELETE', `/clusters/${uid}`);
    expect(res.status).toBe(409);
    expect(res.text).toBe(`{"error":{"code":"StateConflict","message":"Cluster [${uid}] cannot transition from [STARTED] to [TERMINATED]"}}`);
  });

  it.each([
    ['STARTING', 'create'],
    ['UPDATING', 'update'],
    ['STOPPING', 'stop'],
    ['TERMINATING', 'delete'],
  ] as const)('%s + any write: 409 naming the target', async (state, how) => {
    const uid = await session.clusterIn('c1', how === 'delete' ? 'STOPPED' : how === 'create' ? 'STOPPED' : 'STARTED');
    await session.admin('PUT', '/config', { body: { transitionMs: 60_000 } });
    if (how === 'create') await patch(uid, { spec: { desiredState: 'STARTED' } });
    if (how === 'update') await patch(uid, { spec: { version: '2021.02' } });
    if (how === 'stop') await patch(uid, { spec: { desiredState: 'STOPPED' } });
    if (how === 'delete') await session.call('DELETE', `/clusters/${uid}`);
    expect((await session.get(uid)).status.state).toBe(state);
    const message = (target: string) => `Cluster [${uid}] cannot transition from [${state}] to [${target}]`;
    const desired = how === 'stop' || how === 'delete' ? 'STARTED' : 'STOPPED';
    const attempts: [Promise<{ status: number; json: unknown }>, string][] = [
      [patch(uid, { spec: { desiredState: desired } }), desired],
      [patch(uid, { spec: { version: '2025.06' } }), 'UPDATING'],
      [session.call('PUT', `/clusters/${uid}`, { body: { metadata: { name: 'c1' }, spec: clusterSpec({ version: '2025.06', desiredState: how === 'stop' || how === 'delete' ? 'STOPPED' : 'STARTED' }) } }), 'UPDATING'],
      [session.call('DELETE', `/clusters/${uid}`), 'TERMINATED'],
    ];
    const [server] = await servers(uid);
    if (server !== undefined) attempts.push([session.call('POST', `/clusters/${uid}/servers/${server.id}/restart`), 'UPDATING']);
    for (const [pending, target] of attempts) {
      const res = await pending;
      expect([res.status, (res.json as { error: { message: string } }).error.message]).toEqual([409, message(target)]);
    }
  });

  it('any + a write that changes nothing: 200, no new resourceVersion, no state change', async () => {
    const created = await session.create('c1');
    const res = await patch(created.metadata.uid, { spec: { desiredState: 'STARTED' } });
    expect(res.status).toBe(200);
    expect((res.json as ObservedCluster).status).toMatchObject({ state: 'STARTING', resourceVersion: 1 });
  });
});

describe('transitions', () => {
  it('with transitionMs 0, the write answer shows the transitional state and the next read the final one', async () => {
    await session.admin('PUT', '/config', { body: { transitionMs: 0 } });
    const created = await session.create('c1');
    expect(created.status.state).toBe('STARTING');
    expect((await session.get(created.metadata.uid)).status.state).toBe('STARTED');
  });

  it('progress in wall-clock time without anyone polling (seen in the request counts)', async () => {
    const created = await session.create('c1');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const counts = (await session.admin('GET', '/requests')).json as { api: Record<string, unknown> };
    expect(Object.keys(counts.api)).toEqual(['createCluster']);
    const events = (await session.get(created.metadata.uid)).status.events ?? [];
    const started = events.find((e) => e.reason === 'ClusterStarted');
    expect(started).toBeDefined();
  });

  it('serves every configuration version from the history endpoint', async () => {
    const uid = await session.clusterIn('c1', 'STARTED');
    await patch(uid, { spec: { query: { replicas: 2 } } });
    await session.waitForState(uid, 'STARTED');
    const v1 = await session.call('GET', `/clusters/${uid}/history/1`);
    expect(v1.json).toEqual({
      metadata: { name: 'c1', uid, creationTimestamp: (await session.get(uid)).metadata.creationTimestamp },
      spec: { ...clusterSpec(), desiredState: 'STARTED', encryptVolumes: true, deepStorage: { path: 's3://my-bucket/druid', type: 's3' }, metadataStore: { type: 'managed' } },
      status: { resourceVersion: 1 },
    });
    expect(((await session.call('GET', `/clusters/${uid}/history/2`)).json as ObservedCluster).spec.query.replicas).toBe(2);
  });
});
