// HttpManagerApi against a scripted fetch: no network, no real waiting (sleep is recorded, not slept).
import { describe, expect, it } from 'vitest';
import { OAuthClientCredentialsAuth } from '../../../src/manager/auth/oauth-client-credentials-auth.js';
import { StaticTokenAuth } from '../../../src/manager/auth/static-token-auth.js';
import { HttpManagerApi, type HttpManagerApiOptions } from '../../../src/manager/http-manager-api.js';
import type { RequestObservation } from '../../../src/manager/request-observation.js';
import { aSpec, anObservedCluster } from '../../support/cluster-builders.js';

const uid = 'e9e1e18f-a9e8-4dd7-8a18-768039c57f22';
const token = 'static-t0ken-value';

interface Sent {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
}

/** A fetch that answers from a script, one entry per request (the last repeats), recording requests. */
function scripted(...script: (Response | Error | (() => Response))[]) {
  const sent: Sent[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    sent.push({ url: String(input), method: init?.method ?? 'GET', headers: new Headers(init?.headers), body: init?.body === undefined ? undefined : String(init.body) });
    const next = script[Math.min(sent.length, script.length) - 1];
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next();
    return next?.clone() ?? new Response('', { status: 500 });
  };
  return { fetch, sent };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const apiError = (status: number, code: string, message: string, headers: Record<string, string> = {}) => json({ error: { code, message } }, status, headers);
const cluster = anObservedCluster(aSpec());

function client(fetch: typeof globalThis.fetch, options: Partial<HttpManagerApiOptions> = {}) {
  const sleeps: number[] = [];
  const observations: RequestObservation[] = [];
  const api = new HttpManagerApi({
    baseUrl: 'http://api.test/api/v1/',
    auth: new StaticTokenAuth(token),
    account: 'acme',
    fetch,
    sleep: async (ms) => void sleeps.push(ms),
    retry: { random: () => 0.5 },
    onRequest: (o) => observations.push(o),
    ...options,
  });
  return { api, sleeps, observations };
}

describe('HttpManagerApi', () => {
  it('sends authenticated JSON requests to the base URL', async () => {
    const { fetch, sent } = scripted(json(cluster));
    const { api } = client(fetch);
    expect(await api.getCluster(uid)).toEqual(cluster);
    expect(sent[0]).toMatchObject({ url: `http://api.test/api/v1/clusters/${uid}`, method: 'GET' });
    expect(sent[0]?.headers.get('authorization')).toBe(`Bearer ${token}`);
  });

  it('sends PATCH as a merge patch and dryRun as a query parameter', async () => {
    const { fetch, sent } = scripted(json(cluster));
    const { api } = client(fetch);
    await api.updateCluster(uid, { spec: { awsKeyPair: null } }, { dryRun: true });
    expect(sent[0]).toMatchObject({ method: 'PATCH', url: `http://api.test/api/v1/clusters/${uid}?dryRun=true`, body: '{"spec":{"awsKeyPair":null}}' });
    expect(sent[0]?.headers.get('content-type')).toBe('application/merge-patch+json');
  });

  it('keeps unknown response fields', async () => {
    const { fetch } = scripted(json({ ...cluster, status: { ...cluster.status, futureField: 1 } }));
    const { api } = client(fetch);
    expect((await api.getCluster(uid))?.status).toHaveProperty('futureField', 1);
  });

  it('maps 404 to undefined where the contract says so, and to NotFoundError elsewhere', async () => {
    const { fetch } = scripted(apiError(404, 'NotFound', `Cluster [${uid}] was not found`));
    const { api } = client(fetch);
    expect(await api.getCluster(uid)).toBeUndefined();
    expect(await api.deleteCluster(uid)).toBeUndefined();
    expect(await api.getClusterVersion(uid, 3)).toBeUndefined();
    expect(await api.getServer(uid, 'i-0123456789abcdef0')).toBeUndefined();
    await expect(api.listServers(uid)).rejects.toMatchObject({ code: 'NotFound' });
    await expect(api.updateCluster(uid, {})).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('retries a read on 5xx and 429, honouring Retry-After, and reports every attempt', async () => {
    const { fetch, sent } = scripted(apiError(503, 'Unavailable', 'down'), apiError(429, 'TooManyRequests', 'slow down', { 'retry-after': '2' }), json([cluster]));
    const { api, sleeps, observations } = client(fetch);
    expect(await api.listClusters()).toHaveLength(1);
    expect(sent).toHaveLength(3);
    expect(sleeps).toEqual([150, 2000]);
    expect(observations.map((o) => [o.account, o.operation, o.statusCode])).toEqual([
      ['acme', 'listClusters', 503],
      ['acme', 'listClusters', 429],
      ['acme', 'listClusters', 200],
    ]);
  });

  it('gives up after the attempts are used, throwing the typed error', async () => {
    const { fetch, sent } = scripted(apiError(500, 'InternalError', 'boom'));
    const { api } = client(fetch);
    await expect(api.getCluster(uid)).rejects.toMatchObject({ code: 'Unavailable', status: 500 });
    expect(sent).toHaveLength(3);
  });

  it('does not wait for a Retry-After beyond the cap', async () => {
    const { fetch, sent } = scripted(apiError(429, 'TooManyRequests', 'later', { 'retry-after': '120' }));
    const { api } = client(fetch);
    await expect(api.listClusters()).rejects.toMatchObject({ code: 'RateLimited', retryAfterMs: 120_000 });
    expect(sent).toHaveLength(1);
  });

  it('never retries a write on a transient fault', async () => {
    const { fetch, sent } = scripted(apiError(503, 'Unavailable', 'down'));
    const { api } = client(fetch);
    await expect(api.createCluster({ metadata: { name: 'x' }, spec: aSpec() })).rejects.toMatchObject({ code: 'Unavailable' });
    await expect(api.restartServer(uid, 'i-0123456789abcdef0')).rejects.toMatchObject({ code: 'Unavailable' });
    expect(sent).toHaveLength(2);
  });

  it('turns network failures and timeouts into UnavailableError and reports them', async () => {
    const { fetch } = scripted(new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) }));
    const { api, observations } = client(fetch, { retry: { maxAttempts: 1 } });
    await expect(api.getCluster(uid)).rejects.toMatchObject({ code: 'Unavailable', message: `GET /clusters/${uid}: network error (ECONNREFUSED)` });
    expect(observations[0]?.statusCode).toBe('network');

    const hanging: typeof globalThis.fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const slow = client(hanging, { timeoutMs: 1, retry: { maxAttempts: 1 } });
    await expect(slow.api.getCluster(uid)).rejects.toMatchObject({ code: 'Unavailable' });
    expect(slow.observations[0]?.statusCode).toBe('timeout');
  });

  it('rejects with the caller’s reason when the caller aborts', async () => {
    const hanging: typeof globalThis.fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        if (init?.signal?.aborted === true) reject(new Error('aborted by fetch'));
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted by fetch')));
      });
    const { api } = client(hanging);
    const controller = new AbortController();
    const call = api.getCluster(uid, { signal: controller.signal });
    controller.abort(new Error('shutting down'));
    await expect(call).rejects.toThrow('shutting down');
  });

  it('parses a 409 StateConflict into states', async () => {
    const { fetch } = scripted(apiError(409, 'StateConflict', `Cluster [${uid}] cannot transition from [UPDATING] to [STOPPED]`));
    const { api } = client(fetch);
    await expect(api.updateCluster(uid, { spec: { desiredState: 'STOPPED' } })).rejects.toMatchObject({
      code: 'StateConflict',
      currentState: 'UPDATING',
      targetState: 'STOPPED',
    });
  });

  it('names the field of a schema violation and rejects malformed JSON', async () => {
    const { fetch } = scripted(json({ ...cluster, status: { resourceVersion: 1, state: 'EXPLODED' } }), new Response('{"metadata":', { status: 200 }));
    const { api } = client(fetch);
    await expect(api.getCluster(uid)).rejects.toMatchObject({ code: 'InvalidResponse', field: 'status.state' });
    await expect(api.getCluster(uid)).rejects.toMatchObject({ code: 'InvalidResponse', field: undefined });
  });

  it('names a missing server-assigned field', async () => {
    const { metadata, ...rest } = cluster;
    const { fetch } = scripted(json([{ ...rest, metadata: { name: metadata.name, creationTimestamp: metadata.creationTimestamp } }]));
    const { api } = client(fetch);
    await expect(api.listClusters()).rejects.toMatchObject({ code: 'InvalidResponse', field: '[0].metadata.uid' });
  });

  it('refreshes an OAuth token once on 401, also for writes', async () => {
    let issued = 0;
    const tokenFetch: typeof globalThis.fetch = async () => json({ access_token: `oauth-tok-${++issued}`, expires_in: 300 });
    const { fetch, sent } = scripted(apiError(401, 'Unauthorized', 'expired'), json(cluster, 202));
    const auth = new OAuthClientCredentialsAuth({ tokenUrl: 'http://id.test/token', clientId: 'op', clientSecret: 'sec-ret', fetch: tokenFetch });
    const { api } = client(fetch, { auth });
    await api.createCluster({ metadata: { name: 'x' }, spec: aSpec() });
    expect(sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer oauth-tok-1', 'Bearer oauth-tok-2']);
  });

  it('stops after one refresh, and does not retry a 401 with a static token', async () => {
    let issued = 0;
    const tokenFetch: typeof globalThis.fetch = async () => json({ access_token: `oauth-tok-${++issued}`, expires_in: 300 });
    const oauth = scripted(apiError(401, 'Unauthorized', 'no'));
    const auth = new OAuthClientCredentialsAuth({ tokenUrl: 'http://id.test/token', clientId: 'op', clientSecret: 'sec-ret', fetch: tokenFetch });
    await expect(client(oauth.fetch, { auth }).api.getCluster(uid)).rejects.toMatchObject({ code: 'Unauthorized' });
    expect(oauth.sent).toHaveLength(2);

    const fixed = scripted(apiError(401, 'Unauthorized', 'no'));
    await expect(client(fixed.fetch).api.getCluster(uid)).rejects.toMatchObject({ code: 'Unauthorized' });
    expect(fixed.sent).toHaveLength(1);
  });

  it('keeps tokens and passwords out of errors, even when the API echoes them', async () => {
    const password = 'db-passw0rd-secret';
    const spec = aSpec({ metadataStore: { type: 'mysql', host: 'db', port: 3306, database: 'druid', user: 'druid', password } });
    const echo = (status: number) => apiError(status, 'BadArgument', `token ${token} password ${password}`);
    const { fetch } = scripted(echo(400), echo(401), echo(503));
    const { api } = client(fetch);
    const errors: unknown[] = [];
    for (let i = 0; i < 3; i++) errors.push(await api.createCluster({ metadata: { name: 'x' }, spec }).catch((e: unknown) => e));
    expect(errors.map((e) => (e as { code: string }).code)).toEqual(['BadArgument', 'Unauthorized', 'Unavailable']);
    for (const error of errors) {
      const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
      expect(text).not.toContain(token);
      expect(text).not.toContain(password);
    }
  });
});
