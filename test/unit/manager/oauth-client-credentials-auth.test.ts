import { describe, expect, it } from 'vitest';
import { OAuthClientCredentialsAuth } from '../../../src/manager/auth/oauth-client-credentials-auth.js';
import { StaticTokenAuth } from '../../../src/manager/auth/static-token-auth.js';
import type { RequestObservation } from '../../../src/manager/request-observation.js';

const secret = 'client-secret-s3cr3t';
const tokenUrl = 'http://id.test/auth/realms/imply/protocol/openid-connect/token';

/** A fake token endpoint: issues tok-1, tok-2, … and records the form bodies; resolves when `gate` does. */
function tokenEndpoint(options: { expiresIn?: number; status?: number; body?: string } = {}) {
  const forms: URLSearchParams[] = [];
  let release: () => void = () => {};
  let gate = Promise.resolve();
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    forms.push(new URLSearchParams(String(init?.body)));
    await gate;
    const body = options.body ?? JSON.stringify({ access_token: `tok-${forms.length}`, token_type: 'Bearer', expires_in: options.expiresIn ?? 300 });
    return new Response(body, { status: options.status ?? 200, headers: { 'content-type': 'application/json' } });
  };
  return {
    fetch,
    forms,
    hold: () => {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
  };
}

describe('OAuthClientCredentialsAuth', () => {
  it('posts a form-encoded client-credentials grant', async () => {
    const endpoint = tokenEndpoint();
    const auth = new OAuthClientCredentialsAuth({ tokenUrl, clientId: 'op', clientSecret: secret, fetch: endpoint.fetch });
    expect(await auth.authorization()).toBe('Bearer tok-1');
    expect(Object.fromEntries(endpoint.forms[0] ?? [])).toEqual({ grant_type: 'client_credentials', client_id: 'op', client_secret: secret });
  });

  it('caches the token until the skew before expiry (30 s, or 10% of a short lifetime)', async () => {
    let now = 0;
    const endpoint = tokenEndpoint({ expiresIn: 300 });
    const auth = new OAuthClientCredentialsAuth({ tokenUrl, clientId: 'op', clientSecret: secret, fetch: endpoint.fetch, now: () => now });
    await auth.authorization();
    now = 269_999;
    expect(await auth.authorization()).toBe('Bearer tok-1');
    now = 270_000;
    expect(await auth.authorization()).toBe('Bearer tok-2');

    const short = tokenEndpoint({ expiresIn: 10 });
    now = 0;
    const shortAuth = new OAuthClientCredentialsAuth({ tokenUrl, clientId: 'op', clientSecret: secret, fetch: short.fetch, now: () => now });
    await shortAuth.authorization();
    now = 8_999;
    await shortAuth.authorization();
    now = 9_000;
    await shortAuth.authorization();
    expect(short.forms).toHaveLength(2);
  });

  it('makes one token request for many concurrent callers', async () => {
    const endpoint = tokenEndpoint();
    endpoint.hold();
    const auth = new OAuthClientCredentialsAuth({ tokenUrl, clientId: 'op', clientSecret: secret, fetch: endpoint.fetch });
    const calls = Array.from({ length: 20 }, () => auth.authorization());
    endpoint.release();
    expect(new Set(await Promise.all(calls))).toEqual(new Set(['Bearer tok-1']));
    expect(endpoint.forms).toHaveLength(1);
  });

  it('refreshes once when concurrent callers invalidate the same rejected token', async () => {
    const endpoint = tokenEndpoint();
    const auth = new OAuthClientCredentialsAuth({ tokenUrl, clientId: 'op', clientSecret: secret, fetch: endpoint.fetch });
    const first = await auth.authorization();
    const retries = Array.from({ length: 20 }, async () => {
      expect(auth.invalidate(first)).toBe(true);
      return auth.authorization();
    });
    expect(new Set(await Promise.all(retries))).toEqual(new Set(['Bearer tok-2']));
    // A late invalidate of the old token leaves the fresh one alone.
    auth.invalidate(first);
    expect(await auth.authorization()).toBe('Bearer tok-2');
    expect(endpoint.forms).toHaveLength(2);
  });

  it('lets one caller abort without cancelling the shared request', async () => {
    const endpoint = tokenEndpoint();
    endpoint.hold();
    const auth = new OAuthClientCredentialsAuth({ tokenUrl, clientId: 'op', clientSecret: secret, fetch: endpoint.fetch });
    const controller = new AbortController();
    const aborted = auth.authorization(controller.signal);
    const patient = auth.authorization();
    controller.abort(new Error('caller gave up'));
    endpoint.release();
    await expect(aborted).rejects.toThrow('caller gave up');
    expect(await patient).toBe('Bearer tok-1');
  });

  it('maps token endpoint failures to typed errors without the secret', async () => {
    const denied = tokenEndpoint({ status: 401, body: JSON.stringify({ error: 'invalid_client', error_description: `bad secret ${secret}` }) });
    const auth = new OAuthClientCredentialsAuth({ tokenUrl: `http://user:pw@id.test/token?x=1`, clientId: 'op', clientSecret: secret, fetch: denied.fetch });
    const error: unknown = await auth.authorization().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'Unauthorized', status: 401 });
    expect(String((error as Error).message)).not.toContain(secret);
    expect(String((error as Error).message)).not.toContain('pw@');

    const down = tokenEndpoint({ status: 503, body: '' });
    const downAuth = new OAuthClientCredentialsAuth({ tokenUrl, clientId: 'op', clientSecret: secret, fetch: down.fetch });
    await expect(downAuth.authorization()).rejects.toMatchObject({ code: 'Unavailable' });

    const garbage = tokenEndpoint({ body: '{"token":"x"}' });
    const garbageAuth = new OAuthClientCredentialsAuth({ tokenUrl, clientId: 'op', clientSecret: secret, fetch: garbage.fetch });
    await expect(garbageAuth.authorization()).rejects.toMatchObject({ code: 'InvalidResponse' });

    const unreachable = new OAuthClientCredentialsAuth({ tokenUrl, clientId: 'op', clientSecret: secret, fetch: () => Promise.reject(new TypeError('fetch failed')) });
    await expect(unreachable.authorization()).rejects.toMatchObject({ code: 'Unavailable' });
  });

  it('reports each token request to the metrics hook', async () => {
    const seen: RequestObservation[] = [];
    const endpoint = tokenEndpoint();
    const auth = new OAuthClientCredentialsAuth({ tokenUrl, clientId: 'op', clientSecret: secret, fetch: endpoint.fetch, account: 'acme', onRequest: (o) => seen.push(o) });
    await auth.authorization();
    expect(seen).toEqual([{ account: 'acme', operation: 'token', statusCode: 200, durationMs: expect.any(Number) }]);
  });
});

describe('StaticTokenAuth', () => {
  it('sends the token and never asks for a retry', async () => {
    const auth = new StaticTokenAuth('static-t0ken');
    expect(await auth.authorization()).toBe('Bearer static-t0ken');
    expect(auth.invalidate()).toBe(false);
    expect(JSON.stringify(auth)).not.toContain('static-t0ken');
  });
});
