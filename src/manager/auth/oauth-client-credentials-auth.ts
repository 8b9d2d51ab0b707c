// OAuth2 client-credentials grant: one cached token per provider, refreshed shortly before it expires,
// fetched single-flight so a burst of callers makes one token request.
import { Type } from '@sinclair/typebox';
import { lenient, validatorFor } from '../../schema/index.js';
import { InvalidResponseError, type ManagerApiError, UnauthorizedError, UnavailableError } from '../errors.js';
import { type OnRequest, reportRequest } from '../request-observation.js';
import { redactorFor } from '../redact-secrets.js';
import type { AuthProvider } from './auth-provider.js';

/** Options of {@link OAuthClientCredentialsAuth}. */
export interface OAuthClientCredentialsAuthOptions {
  /** Token endpoint, e.g. `https://id.example.com/auth/realms/r/protocol/openid-connect/token`. */
  tokenUrl: string;
  /** OAuth client id. */
  clientId: string;
  /** OAuth client secret; never logged nor put in an error. */
  clientSecret: string;
  /** Optional `scope` parameter of the grant; default none. */
  scope?: string;
  /** Timeout of one token request in milliseconds; default 10000. */
  timeoutMs?: number;
  /** Upper bound of the refresh margin before expiry in milliseconds; default 30000 (short-lived tokens use 10% of their lifetime). */
  maxExpirySkewMs?: number;
  /** Current time in milliseconds, for expiry; default Date.now. */
  now?: () => number;
  /** The fetch to use; default globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /** Account label for the metrics hook; default `default`. */
  account?: string;
  /** Metrics hook, called once per token request with operation `token`. */
  onRequest?: OnRequest;
}

const TokenResponse = lenient(
  Type.Object({
    access_token: Type.String({ minLength: 1, description: 'The bearer token.' }),
    token_type: Type.Optional(Type.String({ description: 'Bearer.' })),
    expires_in: Type.Number({ exclusiveMinimum: 0, description: 'Lifetime in seconds.' }),
  }),
);
const validateTokenResponse = validatorFor<{ access_token: string; expires_in: number }>(TokenResponse);

interface CachedToken {
  header: string;
  refreshAt: number;
}

/** Bearer tokens from the OAuth2 client-credentials grant, cached until shortly before expiry. */
export class OAuthClientCredentialsAuth implements AuthProvider {
  readonly #options: OAuthClientCredentialsAuthOptions;
  readonly #now: () => number;
  readonly #fetch: typeof globalThis.fetch;
  readonly #label: string;
  #cached: CachedToken | undefined;
  #pending: Promise<CachedToken> | undefined;

  constructor(options: OAuthClientCredentialsAuthOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch ?? globalThis.fetch;
    // Only origin and path in messages: a token URL could carry credentials in its userinfo or query.
    const url = new URL(options.tokenUrl);
    this.#label = `POST ${url.origin}${url.pathname}`;
  }

  /** A cached token while fresh; otherwise one shared token request for all concurrent callers. */
  async authorization(signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    const cached = this.#cached;
    if (cached !== undefined && this.#now() < cached.refreshAt) return cached.header;
    this.#pending ??= this.#fetchToken().finally(() => {
      this.#pending = undefined;
    });
    // One caller giving up must not cancel the shared request for the others.
    const token = await abortable(this.#pending, signal);
    return token.header;
  }

  /** Drops the cached token if it is the rejected one; a fresh one can always be asked for. */
  invalidate(rejected: string): boolean {
    if (this.#cached?.header === rejected) this.#cached = undefined;
    return true;
  }

  async #fetchToken(): Promise<CachedToken> {
    const { clientId, clientSecret, scope } = this.#options;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    if (scope !== undefined) form.set('scope', scope);
    const timeoutMs = this.#options.timeoutMs ?? 10_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const started = performance.now();
    let statusCode: number | 'network' | 'timeout' = 'network';
    let text: string;
    try {
      const response = await this.#fetch(this.#options.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: timeout,
      });
      statusCode = response.status;
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) statusCode = 'timeout';
      const what = timeout.aborted ? `timed out after ${timeoutMs} ms` : 'network error';
      throw new UnavailableError(`${this.#label}: ${what}`, undefined, { cause: error });
    } finally {
      const durationMs = performance.now() - started;
      reportRequest(this.#options.onRequest, { account: this.#options.account ?? 'default', operation: 'token', statusCode, durationMs });
    }
    if (statusCode >= 400) throw this.#errorFor(statusCode, text);
    const issuedAt = this.#now();
    const body = parseJson(text);
    if (!validateTokenResponse(body)) {
      throw new InvalidResponseError(`${this.#label}: ${statusCode} token response is not {access_token, expires_in}`, undefined, { status: statusCode });
    }
    const lifetimeMs = body.expires_in * 1000;
    const skewMs = Math.min(this.#options.maxExpirySkewMs ?? 30_000, lifetimeMs / 10);
    const token = { header: `Bearer ${body.access_token}`, refreshAt: issuedAt + lifetimeMs - skewMs };
    this.#cached = token;
    return token;
  }

  #errorFor(status: number, text: string): ManagerApiError {
    // Token endpoints answer RFC 6749 errors ({error, error_description}); the Manager API shape also works.
    const body = parseJson(text);
    const redact = redactorFor([this.#options.clientSecret]);
    const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const nested = fields['error'] !== null && typeof fields['error'] === 'object' ? (fields['error'] as Record<string, unknown>) : {};
    const code = [fields['error'], nested['code']].find((v) => typeof v === 'string');
    const description = [fields['error_description'], nested['message']].find((v) => typeof v === 'string');
    const summary = [code, description].filter((v): v is string => typeof v === 'string').map(redact).join(': ');
    const message = `${this.#label}: ${status}${summary === '' ? '' : ` ${summary}`}`;
    if (status >= 500 || status === 429) return new UnavailableError(message, undefined, { status });
    return new UnauthorizedError(message, { status });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
