// POST /auth/realms/{realm}/protocol/openid-connect/token: the OAuth2 client-credentials grant.
import type { Reply, Handler } from './request-context.js';
import type { TokenAuthority } from './token-authority.js';

const oauthError = (status: number, error: string, description: string): Reply => ({
  status,
  body: { error, error_description: description },
  headers: status === 401 ? { 'WWW-Authenticate': 'Basic realm="emulator"' } : {},
});

/** The token endpoint: form-encoded client_credentials, client credentials in the form or HTTP Basic. */
export function tokenHandler(authority: TokenAuthority): Handler {
  return async (ctx) => {
    const type = (ctx.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(await ctx.text());
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported');
    }
    const basic = basicCredentials(ctx.headers.authorization);
    const clientId = basic?.id ?? form.get('client_id');
    const secret = basic?.secret ?? form.get('client_secret');
    if (clientId === null || secret === null) return oauthError(400, 'invalid_request', 'client_id and client_secret are required');
    const token = authority.issue(clientId, secret);
    if (token === undefined) return oauthError(401, 'invalid_client', 'Invalid client credentials');
    return {
      status: 200,
      body: { access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresInSeconds },
      headers: { 'Cache-Control': 'no-store' },
    };
  };
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: formDecoded(decoded.slice(0, colon)), secret: formDecoded(decoded.slice(colon + 1)) };
}

/** RFC 6749 §2.3.1 form-encodes Basic credentials; a malformed escape is taken literally. */
function formDecoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
