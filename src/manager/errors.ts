// The catalogue of Manager API errors. Every failure of a ManagerApi call is one of these; callers
// branch on the class or its stable `code`, never on HTTP status or message text.
import type { ErrorDetail } from '../schema/index.js';

/** Stable codes of Manager API errors. */
export type ManagerApiErrorCode =
  | 'BadArgument'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'StateConflict'
  | 'AlreadyExists'
  | 'RateLimited'
  | 'Unavailable'
  | 'InvalidResponse';

/** Base class: an error from the Manager API or from reaching it. Messages never hold secrets. */
export abstract class ManagerApiError extends Error {
  abstract readonly code: ManagerApiErrorCode;
  /** HTTP status, when a response was received. */
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status;
  }
}

/** 400: the request was invalid; `details` holds one entry per problem. Not retryable as is. */
export class BadArgumentError extends ManagerApiError {
  readonly code = 'BadArgument';
  constructor(message: string, readonly details: ErrorDetail[], options: { status?: number } = {}) {
    super(message, options);
  }
}

/** 401: no, invalid or expired credentials. */
export class UnauthorizedError extends ManagerApiError {
  readonly code = 'Unauthorized';
}

/** 403: authenticated, but without the manage-clusters role. */
export class ForbiddenError extends ManagerApiError {
  readonly code = 'Forbidden';
}

/** 404 on a write or on a read whose contract does not map absence to `undefined`. */
export class NotFoundError extends ManagerApiError {
  readonly code = 'NotFound';
}

/** 409 StateConflict: the cluster's current state forbids the transition; retry once it settles. */
export class StateConflictError extends ManagerApiError {
  readonly code = 'StateConflict';
  constructor(
    message: string,
    /** State the cluster was in, parsed from the message (`undefined` when the message differs). */
    readonly currentState: string | undefined,
    /** State the request asked for. */
    readonly targetState: string | undefined,
    options: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
  /** Retry-After, when the server sent one. */
  readonly retryAfterMs: number | undefined;
}

/** 409 AlreadyExists: a cluster with this name exists in the account. */
export class AlreadyExistsError extends ManagerApiError {
  readonly code = 'AlreadyExists';
}

/** 429: rate limited; retry after `retryAfterMs` when given. */
export class RateLimitedError extends ManagerApiError {
  readonly code = 'RateLimited';
  constructor(message: string, readonly retryAfterMs: number | undefined, options: { status?: number } = {}) {
    super(message, options);
  }
}

/** 5xx, network failure or timeout: transient; retry with backoff (after `retryAfterMs` if given). */
export class UnavailableError extends ManagerApiError {
  readonly code = 'Unavailable';
  constructor(message: string, readonly retryAfterMs: number | undefined, options: { status?: number; cause?: unknown } = {}) {
    super(message, options);
  }
}

/** A response that is not what the contract says (bad JSON, schema violation); `field` names where. */
export class InvalidResponseError extends ManagerApiError {
  readonly code = 'InvalidResponse';
  constructor(message: string, readonly field: string | undefined, options: { status?: number; cause?: unknown } = {}) {
    super(message, options);
  }
}

/** True for errors worth retrying later without any change by the user. */
export function isTransient(error: unknown): error is RateLimitedError | UnavailableError | StateConflictError {
  return error instanceof RateLimitedError || error instanceof UnavailableError || error instanceof StateConflictError;
}
