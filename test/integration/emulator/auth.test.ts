// Bearer tokens and the OAuth2 client-credentials token endpoint over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorSession, eventually } from './emulator-session.js';

let session: EmulatorSession;
beforeAll(async () => {
  session = await EmulatorSession.start({ clients: [{ id: 'operator', secret: 's3cret' }], tokenTtlSeconds: 1 });
});
afterAll(() => session.close());

const tokenRequest = (form: string, headers: Record<string, string> = {}) =>
  session.call('POST', session.emulator.tokenUrl, { rawBody: form, token: null, headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } });

describe('token endpoint', () => {
  it('issues an expiring bearer token that works for the API, then stops working (401)', async () => {
    const res = await tokenRequest('grant_type=client_credentials&client_id=operator&client_secret=s3cret');
    expect(res.status).toBe(200);
    const body = res.json as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 1 });
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect((await session.call('GET', '/clusters', { token: body.access_token })).status).toBe(200);
    await eventually(async () => expect((await session.call('GET', '/clusters', { token: body.access_token })).status).toBe(401), 5000);
  });

  it('accepts any realm and client credentials in HTTP Basic', async () => {
    const basic = Buffer.from('operator:s3cret').toString('base64');
    const url = `${session.emulator.origin}/auth/realms/other/protocol/openid-connect/token`;
    const res = await session.call('POST', url, { rawBody: 'grant_type=client_credentials', token: null, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` } });
    expect(res.status).toBe(200);
  });

  it.each([
    ['a wrong secret', 'grant_type=client_credentials&client_id=operator&client_secret=nope', 401, 'invalid_client'],
    ['an unknown client', 'grant_type=client_credentials&client_id=x&client_secret=s3cret', 401, 'invalid_client'],
    ['another grant type', 'grant_type=password&username=a&password=b', 400, 'unsupported_grant_type'],
    ['missing credentials', 'grant_type=client_credentials', 400, 'invalid_request'],
  ])('refuses %s with an OAuth error body', async (_what, form, status, error) => {
    const res = await tokenRequest(form);
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ error });
  });

  it('is not under the API base path', async () => {
    expect(session.emulator.tokenUrl.startsWith(session.emulator.url)).toBe(false);
    expect((await session.call('POST', '/auth/realms/imply/protocol/openid-connect/token', { rawBody: '' })).status).toBe(404);
  });
});

describe('bearer auth', () => {
  it('rejects other schemes and malformed headers with 401', async () => {
    for (const header of ['Basic dGVzdA==', 'Bearer', 'test-token', 'Bearer test-token extra']) {
      const res = await session.call('GET', '/clusters', { token: null, headers: { Authorization: header } });
      expect([header, res.status]).toEqual([header, 401]);
    }
  });

  it('guards the admin API with the same tokens', async () => {
    expect((await session.admin('GET', '/requests', { token: null })).status).toBe(401);
    expect((await session.admin('GET', '/requests', { token: 'readonly-token' })).status).toBe(403);
    expect((await session.admin('GET', '/requests')).status).toBe(200);
  });
});
