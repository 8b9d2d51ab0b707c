// Authentication and the account budget against the emulator: one token request per refresh under
// concurrency, one refresh-and-retry on 401, secrets out of errors, and the token bucket's cap.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';
import { OAuthClientCredentialsAuth } from '../../../src/manager/auth/oauth-client-credentials-auth.js';
import { StaticTokenAuth } from '../../../src/manager/auth/static-token-auth.js';
import { HttpManagerApi } from '../../../src/manager/http-manager-api.js';
import { RequestBudget } from '../../../src/manager/request-budget.js';
import { aSpec } from '../../support/cluster-builders.js';
import { EmulatorAdmin } from '../../support/emulator-admin.js';
import { eventually } from './eventually.js';

const adminToken = 'auth-admin-token';
const client = { id: 'operator', secret: 'oauth-client-s3cret-value' };
let emulator: EmulatorHandle;
afterEach(async () => emulator.close());

async function start(tokenTtlSeconds = 300): Promise<EmulatorAdmin> {
  emulator = await startEmulator({ tokens: [adminToken], clients: [client], tokenTtlSeconds, transitionMs: 40, seed: 3 });
  return new EmulatorAdmin(emulator.origin, adminToken);
}

/** Error text as anyone could see it: message, JSON form, stack and the cause chain. */
function everythingIn(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
    parts.push(String(e), JSON.stringify(e), (e as Error).stack ?? '');
  }
  return parts.join('\n');
}

describe('OAuth client credentials against the emulator', () => {
  it('makes one token request when 20 concurrent calls find their token expired by the server', async () => {
    const admin = await start(0.3);
    // The provider's clock stands still, so only the server's 401 can reveal the expiry.
    const auth = new OAuthClientCredentialsAuth({ tokenUrl: emulator.tokenUrl, clientId: client.id, clientSecret: client.secret, now: () => 0 });
    const api = new HttpManagerApi({ baseUrl: emulator.url, auth });
    expect(await api.listClusters()).toEqual([]);
    const header = await auth.authorization();
    const expired = await eventually(async () => (await fetch(`${emulator.url}/clusters`, { headers: { authorization: header } })).status === 401, {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    expect(expired).toBe(true);
    // The refreshed token must outlive the 20 calls even on a loaded machine.
    await admin.setConfig({ tokenTtlSeconds: 300 });
    await admin.resetRequests();

    const results = await Promise.all(Array.from({ length: 20 }, () => api.listClusters()));
    expect(results).toHaveLength(20);
    expect(await admin.countsOf('token')).toEqual({ '200': 1 });
    expect(await admin.countsOf('listClusters')).toEqual({ '401': 20, '200': 20 });
  });

  it('makes one token request when 20 concurrent calls find the cached token due for refresh', async () => {
    const admin = await start(300);
    let now = 0;
    const auth = new OAuthClientCredentialsAuth({ tokenUrl: emulator.tokenUrl, clientId: client.id, clientSecret: client.secret, now: () => now });
    const api = new HttpManagerApi({ baseUrl: emulator.url, auth });
    await api.listClusters();
    now = 271_000; // past expires_in minus the 30 s skew
    await admin.resetRequests();
    await Promise.all(Array.from({ length: 20 }, () => api.listClusters()));
    expect(await admin.countsOf('token')).toEqual({ '200': 1 });
    expect(await admin.countsOf('listClusters')).toEqual({ '200': 20 });
  });

  it('reports a wrong client secret as Unauthorized without the secret', async () => {
    await start();
    const wrong = 'wrong-secret-value-42';
    const auth = new OAuthClientCredentialsAuth({ tokenUrl: emulator.tokenUrl, clientId: client.id, clientSecret: wrong });
    const error: unknown = await new HttpManagerApi({ baseUrl: emulator.url, auth }).listClusters().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'Unauthorized', status: 401 });
    expect(everythingIn(error)).not.toContain(wrong);
  });
});

describe('secrets in errors', () => {
  it('keeps an unknown static token and a rejected password out of errors', async () => {
    await start();
    const badToken = 'not-a-known-token-123';
    const denied: unknown = await new HttpManagerApi({ baseUrl: emulator.url, auth: new StaticTokenAuth(badToken) }).listClusters().catch((e: unknown) => e);
    expect(denied).toMatchObject({ code: 'Unauthorized' });
    expect(everythingIn(denied)).not.toContain(badToken);

    const password = 'db-password-never-shown';
    const api = new HttpManagerApi({ baseUrl: emulator.url, auth: new StaticTokenAuth(adminToken) });
    const spec = aSpec({ metadataStore: { type: 'mysql', host: 'db', password } }); // port, database, user missing
    const invalid: unknown = await api.createCluster({ metadata: { name: 'x' }, spec }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'BadArgument' });
    expect(everythingIn(invalid)).not.toContain(password);
    expect(everythingIn(invalid)).not.toContain(adminToken);
  });

  it('answers 403 for a token without the role', async () => {
    emulator = await startEmulator({ readonlyTokens: ['read-only-token'], seed: 5 });
    const api = new HttpManagerApi({ baseUrl: emulator.url, auth: new StaticTokenAuth('read-only-token') });
    await expect(api.listClusters()).rejects.toMatchObject({ code: 'Forbidden', status: 403 });
  });
});

describe('RequestBudget against the emulator', () => {
  it('lets only burst requests through while the clock stands still, across every client of the account', async () => {
    const admin = await start();
    const blocked: number[] = [];
    // A clock that never advances: the bucket never refills, so waiters wait until aborted.
    const budget = new RequestBudget({
      ratePerSecond: 1,
      burst: 3,
      maxConcurrent: 10,
      now: () => 0,
      sleep: (ms, signal) =>
        new Promise((_resolve, reject) => {
          blocked.push(ms);
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
    });
    const options = { baseUrl: emulator.url, auth: new StaticTokenAuth(adminToken), budget };
    const [first, second] = [new HttpManagerApi(options), new HttpManagerApi(options)];
    const stop = new AbortController();
    const calls = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? first : second).listClusters({ signal: stop.signal }));
    const reached = await eventually(async () => blocked.length === 5 && (await admin.countsOf('listClusters'))['200'] === 3, { timeoutMs: 30_000 });
    expect(reached).toBe(true);
    stop.abort(new Error('test over'));
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    expect(await admin.countsOf('listClusters')).toEqual({ '200': 3 });
  });
});
