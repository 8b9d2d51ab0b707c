// One logical Manager API request over fetch: budget, auth (one refresh-and-retry on 401), timeout,
// metrics per attempt, typed errors, and retries of idempotent reads on transient faults.
import { abortableSleep, type Sleep } from './abortable-sleep.js';
import type { AuthProvider } from './auth/auth-provider.js';
import { errorFromResponse } from './error-from-response.js';
import { InvalidResponseError, type ManagerApiError, UnavailableError } from './errors.js';
import { redactorFor } from './redact-secrets.js';
import type { RequestBudget } from './request-budget.js';
import { type ManagerOperation, type OnRequest, reportRequest } from './request-observation.js';
import { retryAfterMsFrom } from './retry-after.js';
import type { RetryPolicy } from './retry-policy.js';

/** What {@link HttpTransport} needs; see HttpManagerApiOptions for the documented defaults. */
export interface HttpTransportOptions {
  baseUrl: string;
  auth: AuthProvider;
  account: string;
  timeoutMs: number;
  retryPolicy: RetryPolicy;
  budget?: RequestBudget | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  sleep?: Sleep | undefined;
  onRequest?: OnRequest | undefined;
}

/** One request as the API client describes it. */
export interface TransportRequest {
  operation: ManagerOperation;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path relative to the base URL, ids already encoded. */
  path: string;
  /** JSON body; sent with `contentType`. */
  body?: unknown;
  /** Content type of the body; default application/json. */
  contentType?: string;
  /** Passwords or other secrets inside the body, to keep out of error messages. */
  secrets?: readonly (string | undefined)[];
  signal?: AbortSignal | undefined;
}

/** A successful (2xx) response with its parsed JSON body. */
export interface TransportReply {
  status: number;
  body: unknown;
}

interface RawReply {
  status: number;
  text: string;
  retryAfterMs: number | undefined;
  authorization: string;
}

/** Sends requests for HttpManagerApi; only GET is retried, a write at most once and only after a 401. */
export class HttpTransport {
  readonly #options: HttpTransportOptions;
  readonly #baseUrl: string;
  readonly #fetch: typeof globalThis.fetch;
  readonly #sleep: Sleep;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#sleep = options.sleep ?? abortableSleep;
  }

  /** Sends `request`; resolves with a 2xx reply or rejects with a ManagerApiError (or the signal's reason). */
  async send(request: TransportRequest): Promise<TransportReply> {
    const isIdempotent = request.method === 'GET';
    let hasRefreshed = false;
    for (let attempt = 1; ; attempt++) {
      let error: ManagerApiError;
      try {
        const raw = await this.#attempt(request);
        if (raw.status < 400) return { status: raw.status, body: this.#parse(request, raw) };
        // A 401 means the request was not executed, so one retry with a fresh token is safe even for writes.
        if (raw.status === 401 && !hasRefreshed && this.#options.auth.invalidate(raw.authorization)) {
          hasRefreshed = true;
          attempt -= 1;
          continue;
        }
        const redact = redactorFor([bearerToken(raw.authorization), ...(request.secrets ?? [])]);
        error = errorFromResponse({ method: request.method, path: request.path, status: raw.status, body: raw.text, retryAfterMs: raw.retryAfterMs }, redact);
      } catch (caught) {
        if (!(caught instanceof UnavailableError)) throw caught;
        error = caught;
      }
      const delayMs = isIdempotent ? this.#options.retryPolicy.delayAfter(attempt, error) : undefined;
      if (delayMs === undefined) throw error;
      await this.#sleep(delayMs, request.signal);
    }
  }

  async #attempt(request: TransportRequest): Promise<RawReply> {
    const { signal } = request;
    const release = await this.#options.budget?.acquire(signal);
    try {
      const authorization = await this.#options.auth.authorization(signal);
      return await this.#exchange(request, authorization);
    } finally {
      release?.();
    }
  }

  async #exchange(request: TransportRequest, authorization: string): Promise<RawReply> {
    const { method, path, signal } = request;
    const { timeoutMs } = this.#options;
    const timeout = AbortSignal.timeout(timeoutMs);
    const headers: Record<string, string> = { authorization, accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
    const started = performance.now();
    let statusCode: number | 'network' | 'timeout' = 'network';
    try {
      const response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
      statusCode = response.status;
      const text = await response.text();
      return { status: response.status, text, retryAfterMs: retryAfterMsFrom(response.headers.get('retry-after'), Date.now()), authorization };
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason;
      if (timeout.aborted) {
        statusCode = 'timeout';
        throw new UnavailableError(`${method} ${path}: timed out after ${timeoutMs} ms`, undefined, { cause: error });
      }
      statusCode = 'network';
      throw new UnavailableError(`${method} ${path}: network error${networkCode(error)}`, undefined, { cause: error });
    } finally {
      const durationMs = performance.now() - started;
      reportRequest(this.#options.onRequest, { account: this.#options.account, operation: request.operation, statusCode, durationMs });
    }
  }

  #parse(request: TransportRequest, raw: RawReply): unknown {
    try {
      return JSON.parse(raw.text);
    } catch (error) {
      throw new InvalidResponseError(`${request.method} ${request.path}: ${raw.status} response is not JSON`, undefined, { status: raw.status, cause: error });
    }
  }
}

function bearerToken(authorization: string): string {
  return authorization.replace(/^Bearer\s+/i, '');
}

/** ` (ECONNREFUSED)` and the like, from undici's `fetch failed` cause chain. */
function networkCode(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause !== null && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? ` (${code})` : '';
}
