// The Manager API over real HTTP: endpoints, error bodies, write semantics, robustness.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ObservedCluster, Server } from '../../../src/schema/index.js';
import { clusterSpec, EmulatorSession } from './emulator-session.js';

let session: EmulatorSession;
beforeAll(async () => {
  session = await EmulatorSession.start();
});
afterAll(() => session.close());
beforeEach(async () => {
  await session.admin('POST', '/reset');
  await session.admin('PUT', '/config', { body: { transitionMs: 30 } });
});

describe('documented examples, byte for byte', () => {
  it('a missing name and a bad S3 path give the two-detail 400', async () => {
    const res = await session.call('POST', '/clusters', { body: { metadata: {}, spec: clusterSpec({ deepStorage: { path: 'my-bucket/druid' } }) } });
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      '{"error":{"code":"BadArgument","message":"Request contains invalid arguments","details":[' +
        '{"code":"NullValue","target":"metadata.name","message":"Cluster name must not be null"},' +
        '{"code":"MalformedValue","target":"spec.deepStorage.path","message":"Path is not a valid s3 path"}]}}',
    );
  });

  const unauthorizedBody = '{"error":{"code":"Unauthorized","message":"Provided user does not have permissions to complete this request"}}';

  it.each([
    ['no token', null, 401],
    ['an unknown token', 'nope', 401],
    ['a token without the manage-clusters role', 'readonly-token', 403],
  ])('%s gives the documented body', async (_what, bearer, status) => {
    const res = await session.call('GET', '/clusters', { token: bearer });
    expect(res.status).toBe(status);
    expect(res.text).toBe(unauthorizedBody);
  });

  it('a write during UPDATING: cannot transition from [UPDATING] to [STOPPED]', async () => {
    const uid = await session.clusterIn('c1', 'STARTED');
    await session.admin('PUT', '/config', { body: { transitionMs: 60_000 } });
    await session.call('PATCH', `/clusters/${uid}`, { body: { spec: { version: '2021.02' } } });
    const res = await session.call('PATCH', `/clusters/${uid}`, { body: { spec: { desiredState: 'STOPPED' } } });
    expect(res.status).toBe(409);
    expect(res.text).toBe(`{"error":{"code":"StateConflict","message":"Cluster [${uid}] cannot transition from [UPDATING] to [STOPPED]"}}`);
  });

  it('an unknown version: resource version [n] was not found', async () => {
    const uid = (await session.create('c1')).metadata.uid;
    const res = await session.call('GET', `/clusters/${uid}/history/7`);
    expect(res.status).toBe(404);
    expect(res.text).toBe(`{"error":{"code":"NotFound","message":"Cluster [${uid}] resource version [7] was not found"}}`);
  });
});

describe('endpoints', () => {
  it('create answers 202 with uid and initial status; list and get return it', async () => {
    const created = await session.create('c1');
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.status).toMatchObject({ resourceVersion: 1, state: 'STARTING' });
    const list = await session.call('GET', '/clusters');
    expect(list.status).toBe(200);
    expect((list.json as ObservedCluster[]).map((c) => c.metadata.uid)).toEqual([created.metadata.uid]);
    expect((await session.get(created.metadata.uid)).metadata.name).toBe('c1');
  });

  it('serves servers, one server, and 404s for unknown ones', async () => {
    const uid = await session.clusterIn('c1', 'STARTED');
    const servers = (await session.call('GET', `/clusters/${uid}/servers`)).json as Server[];
    expect(servers.map((s) => s.type)).toEqual(['MASTER', 'QUERY', 'DATA', 'DATA']);
    for (const s of servers) expect(s).toMatchObject({ id: expect.stringMatching(/^i-[0-9a-f]{17}$/), state: 'RUNNING', resourceVersion: 1 });
    const one = await session.call('GET', `/clusters/${uid}/servers/${servers[0]?.id}`);
    expect(one.json).toEqual(servers[0]);
    expect((await session.call('GET', `/clusters/${uid}/servers/i-0`)).status).toBe(404);
  });

  it('404s every cluster path for an unknown cluster with the documented message', async () => {
    const uid = '00000000-0000-4000-8000-000000000000';
    const body = `{"error":{"code":"NotFound","message":"Cluster [${uid}] was not found"}}`;
    for (const [method, path] of [
      ['GET', ''], ['PUT', ''], ['PATCH', ''], ['DELETE', ''], ['GET', '/servers'], ['GET', '/servers/i-1'], ['POST', '/servers/i-1/restart'],
    ] as const) {
      const res = await session.call(method, `/clusters/${uid}${path}`, method === 'PUT' || method === 'PATCH' ? { body: { metadata: { name: 'x' }, spec: clusterSpec() } } : {});
      expect([method, path, res.status, res.text]).toEqual([method, path, 404, body]);
    }
  });

  it('restarts a server of a STARTED cluster (202) and refuses otherwise (409)', async () => {
    const uid = await session.clusterIn('c1', 'STARTED');
    const [server] = (await session.call('GET', `/clusters/${uid}/servers`)).json as Server[];
    const res = await session.call('POST', `/clusters/${uid}/servers/${server?.id}/restart`);
    expect(res.status).toBe(202);
    expect((res.json as Server).state).toBe('PENDING');
    await session.call('PATCH', `/clusters/${uid}`, { body: { spec: { desiredState: 'STOPPED' } } });
    await session.waitForState(uid, 'STOPPED');
    const refused = await session.call('POST', `/clusters/${uid}/servers/${server?.id}/restart`);
    expect(refused.status).toBe(409);
    expect((refused.json as ObservedCluster & { error: { message: string } }).error.message).toBe(`Cluster [${uid}] cannot transition from [STOPPED] to [UPDATING]`);
  });

  it('serves the OpenAPI document at the root and under the base path, without auth', async () => {
    for (const url of [`${session.emulator.origin}/openapi.json`, `${session.emulator.url}/openapi.json`]) {
      const res = await session.call('GET', url, { token: null });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ openapi: '3.1.0' });
      expect((res.json as { servers: { url: string }[] }).servers[0]?.url).toBe(session.emulator.url);
    }
  });
});

describe('write semantics', () => {
  it('dryRun validates and answers 200 with the would-be cluster, changing nothing', async () => {
    const dry = await session.call('POST', '/clusters?dryRun=true', { body: { metadata: { name: 'c1' }, spec: clusterSpec() } });
    expect(dry.status).toBe(200);
    expect((dry.json as ObservedCluster).status.state).toBe('STARTING');
    expect((await session.call('GET', '/clusters')).json).toEqual([]);
    const uid = await session.clusterIn('c1', 'STARTED');
    for (const method of ['PUT', 'PATCH'] as const) {
      const body = method === 'PUT' ? { metadata: { name: 'c1' }, spec: clusterSpec({ version: '2022.01' }) } : { spec: { version: '2022.01' } };
      const res = await session.call(method, `/clusters/${uid}?dryRun=true`, { body });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ spec: { version: '2022.01' }, status: { state: 'UPDATING', resourceVersion: 2 } });
    }
    const dryDelete = await session.call('POST', '/clusters?dryRun=true', { body: { metadata: {}, spec: clusterSpec() } });
    expect(dryDelete.status).toBe(400);
    expect((await session.get(uid)).status).toMatchObject({ state: 'STARTED', resourceVersion: 1 });
  });

  it('pretty=true indents the answer', async () => {
    const res = await session.call('GET', '/clusters?pretty=true');
    expect(res.text).toBe('[]');
    const err = await session.call('GET', '/clusters/x?pretty=true');
    expect(err.text).toBe('{\n  "error": {\n    "code": "NotFound",\n    "message": "Cluster [x] was not found"\n  }\n}');
  });

  it('PATCH merges objects, removes on null, replaces arrays; both media types', async () => {
    const uid = (await session.create('c1', clusterSpec({ desiredState: 'STOPPED', awsKeyPair: 'kp', awsTags: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] }))).metadata.uid;
    const res = await session.call('PATCH', `/clusters/${uid}`, {
      body: { spec: { query: { replicas: 2 }, awsKeyPair: null, awsTags: [{ name: 'c', value: '3' }] } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(res.status).toBe(202);
    const spec = (res.json as ObservedCluster).spec;
    expect(spec.query).toEqual({ replicas: 2, instanceType: 'm5.large' });
    expect(spec.awsKeyPair).toBeUndefined();
    expect(spec.awsTags).toEqual([{ name: 'c', value: '3' }]);
    const json = await session.call('PATCH', `/clusters/${uid}`, { body: { spec: { query: { replicas: 3 } } } });
    expect((json.json as ObservedCluster).status.resourceVersion).toBe(3);
  });

  it('PUT replaces the whole spec: omitted fields take defaults', async () => {
    const uid = (await session.create('c1', clusterSpec({ desiredState: 'STOPPED', encryptVolumes: false, awsKeyPair: 'kp' }))).metadata.uid;
    const res = await session.call('PUT', `/clusters/${uid}`, { body: { metadata: { name: 'c1' }, spec: clusterSpec({ desiredState: 'STOPPED' }) } });
    expect(res.status).toBe(202);
    expect((res.json as ObservedCluster).spec).toMatchObject({ encryptVolumes: true, metadataStore: { type: 'managed' } });
    expect((res.json as ObservedCluster).spec.awsKeyPair).toBeUndefined();
  });

  it('a write that changes nothing answers 200 without a new resourceVersion', async () => {
    const uid = await session.clusterIn('c1', 'STARTED');
    const current = await session.get(uid);
    const put = await session.call('PUT', `/clusters/${uid}`, { body: current });
    expect(put.status).toBe(200);
    const patch = await session.call('PATCH', `/clusters/${uid}`, { body: { spec: { version: '2021.01' } } });
    expect(patch.status).toBe(200);
    expect((await session.get(uid)).status).toMatchObject({ state: 'STARTED', resourceVersion: 1 });
  });

  it('ignores status in bodies and requires metadata.uid to match the path', async () => {
    const uid = (await session.create('c1', clusterSpec({ desiredState: 'STOPPED' }))).metadata.uid;
    const ignored = await session.call('PATCH', `/clusters/${uid}`, { body: { status: { state: 'garbage' } } });
    expect(ignored.status).toBe(200);
    const other = '00000000-0000-4000-8000-000000000000';
    const res = await session.call('PATCH', `/clusters/${uid}`, { body: { metadata: { uid: other } } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { code: 'BadArgument', message: 'Request contains invalid arguments', details: [{ code: 'Immutable', target: 'metadata.uid', message: 'metadata.uid must match the cluster id in the path' }] } });
  });

  it('refuses a taken name on create (409 AlreadyExists) and on rename; allows a free rename', async () => {
    await session.create('a');
    const b = (await session.create('b', clusterSpec({ desiredState: 'STOPPED' }))).metadata.uid;
    const dup = await session.call('POST', '/clusters', { body: { metadata: { name: 'a' }, spec: clusterSpec() } });
    expect(dup.status).toBe(409);
    expect(dup.text).toBe('{"error":{"code":"AlreadyExists","message":"Cluster with name [a] already exists"}}');
    expect((await session.call('PATCH', `/clusters/${b}`, { body: { metadata: { name: 'a' } } })).status).toBe(409);
    const renamed = await session.call('PATCH', `/clusters/${b}`, { body: { metadata: { name: 'c' } } });
    expect(renamed.status).toBe(202);
    expect(renamed.json).toMatchObject({ metadata: { name: 'c' }, status: { resourceVersion: 2 } });
  });

  it('accepts the password, never returns it, and treats the same password as a no-op', async () => {
    const store = { type: 'mysql', host: 'db', port: 3306, database: 'druid', user: 'druid' } as const;
    const created = await session.call('POST', '/clusters', { body: { metadata: { name: 'c1' }, spec: clusterSpec({ desiredState: 'STOPPED', metadataStore: { ...store, password: 'hunter2' } }) } });
    expect(created.text).not.toContain('hunter2');
    const uid = (created.json as ObservedCluster).metadata.uid;
    expect((created.json as ObservedCluster).spec.metadataStore).toEqual({ ...store, passwordSet: true });
    const same = await session.call('PATCH', `/clusters/${uid}`, { body: { spec: { metadataStore: { password: 'hunter2' } } } });
    expect(same.status).toBe(200);
    const changed = await session.call('PATCH', `/clusters/${uid}`, { body: { spec: { metadataStore: { password: 'hunter3' } } } });
    expect(changed.status).toBe(202);
    expect((changed.json as ObservedCluster).status.resourceVersion).toBe(2);
    const history = await session.call('GET', `/clusters/${uid}/history/1`);
    expect(history.text).not.toContain('hunter');
    expect(history.json).toMatchObject({ spec: { metadataStore: { passwordSet: true } } });
  });

  it('applies concurrent PATCHes to one cluster one after another', async () => {
    const uid = (await session.create('c1', clusterSpec({ desiredState: 'STOPPED' }))).metadata.uid;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => session.call('PATCH', `/clusters/${uid}`, { body: { spec: { awsTags: [{ name: `t${i}`, value: 'v' }] } } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(202));
    const versions = results.map((r) => (r.json as ObservedCluster).status.resourceVersion).sort((a, b) => a - b);
    expect(versions).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});

describe('robustness', () => {
  it('413 for a body over 1 MiB', async () => {
    const res = await session.call('POST', '/clusters', { rawBody: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }) });
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ error: { code: 'BadArgument' } });
  });

  it('400 for malformed JSON and for a non-object body', async () => {
    const bad = await session.call('POST', '/clusters', { rawBody: '{"metadata":' });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: { code: 'BadArgument', message: 'Request contains invalid arguments', details: [{ code: 'MalformedValue', target: '', message: 'Request body is not valid JSON' }] } });
    const notObject = await session.call('POST', '/clusters', { rawBody: '[1]' });
    expect(notObject.status).toBe(400);
    expect((notObject.json as { error: { details: { target: string }[] } }).error.details[0]?.target).toBe('');
  });

  it('400 for a non-JSON media type', async () => {
    const res = await session.call('POST', '/clusters', { rawBody: '{}', headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(400);
  });

  it('404 JSON for an unknown path, 405 JSON with Allow for a wrong method', async () => {
    const unknown = await session.call('GET', '/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ error: { code: 'NotFound', message: 'Path [/api/v1/nothing-here] was not found' } });
    const wrong = await session.call('PUT', '/clusters', { body: {} });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
    expect(wrong.json).toMatchObject({ error: { code: 'MethodNotAllowed' } });
  });
});
