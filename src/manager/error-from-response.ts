// Maps a failed HTTP response of the Manager API to the typed error catalogue.
import type { ErrorDetail } from '../schema/index.js';
import {
  AlreadyExistsError,
  BadArgumentError,
  ForbiddenError,
  InvalidResponseError,
  type ManagerApiError,
  NotFoundError,
  RateLimitedError,
  StateConflictError,
  UnauthorizedError,
  UnavailableError,
} from './errors.js';
import type { Redact } from './redact-secrets.js';

/** A response with status ≥ 400, as read off the wire. */
export interface FailedResponse {
  /** HTTP method of the request, e.g. `GET`. */
  method: string;
  /** Path of the request relative to the base URL, e.g. `/clusters/…`. */
  path: string;
  /** HTTP status. */
  status: number;
  /** Raw response body (may be empty or not JSON). */
  body: string;
  /** Parsed Retry-After in milliseconds, when present. */
  retryAfterMs?: number | undefined;
}

/** The `error` object of an error body, as far as it could be read. */
export interface ApiErrorFields {
  code: string | undefined;
  message: string | undefined;
  details: ErrorDetail[];
}

const transition = /cannot transition from \[([A-Z_]+)\] to \[([A-Z_]+)\]/;

/** The typed error for a failed response; the message holds method, path, status and the API's code and message only. */
export function errorFromResponse(response: FailedResponse, redact: Redact = (t) => t): ManagerApiError {
  const { method, path, status, retryAfterMs } = response;
  const fields = apiErrorFieldsFrom(response.body);
  const apiMessage = fields.message === undefined ? undefined : redact(fields.message);
  const summary = [fields.code, apiMessage].filter((p) => p !== undefined).join(': ');
  const message = `${method} ${path}: ${status}${summary === '' ? '' : ` ${summary}`}`;
  const options = { status };
  if (status === 400 || status === 413) {
    const details = fields.details.map((d) => ({ ...d, message: redact(d.message) }));
    return new BadArgumentError(message, details, options);
  }
  if (status === 401) return new UnauthorizedError(message, options);
  if (status === 403) return new ForbiddenError(message, options);
  if (status === 404) return new NotFoundError(message, options);
  if (status === 409) {
    if (fields.code === 'AlreadyExists') return new AlreadyExistsError(message, options);
    const match = transition.exec(fields.message ?? '');
    return new StateConflictError(message, match?.[1], match?.[2], retryAfterMs === undefined ? options : { ...options, retryAfterMs });
  }
  if (status === 429) return new RateLimitedError(message, retryAfterMs, options);
  if (status >= 500) return new UnavailableError(message, retryAfterMs, options);
  return new InvalidResponseError(`${message} (status not in the contract)`, undefined, options);
}

/** Reads `{"error":{"code","message","details"}}` leniently: missing or mistyped parts become undefined/empty. */
export function apiErrorFieldsFrom(body: string): ApiErrorFields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { code: undefined, message: undefined, details: [] };
  }
  const error = isRecord(parsed) ? parsed['error'] : undefined;
  if (!isRecord(error)) return { code: undefined, message: undefined, details: [] };
  const details = Array.isArray(error['details']) ? error['details'].filter(isDetail) : [];
  return { code: stringOrUndefined(error['code']), message: stringOrUndefined(error['message']), details };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isDetail(value: unknown): value is ErrorDetail {
  return isRecord(value) && typeof value['code'] === 'string' && typeof value['target'] === 'string' && typeof value['message'] === 'string';
}
