// The seam between the generic controller and a domain: one level-based reconcile of one key.
import type { Logger } from 'pino';

/** What one reconcile is given: the key, an id for its log lines, a signal and a logger. */
export interface ReconcileRequest {
  /** The work item, usually `namespace/name`; the reconciler re-reads state from it. */
  readonly key: string;
  /** Short random id of this reconcile; already bound into `log`. */
  readonly reconcileId: string;
  /** Aborts when the reconcile times out or the controller stops; pass it to every I/O call. */
  readonly signal: AbortSignal;
  /** Child logger carrying `{ controller, key, reconcileId }`. */
  readonly log: Logger;
}

/** A successful reconcile's wish: `requeueAfterMs` to poll again later (finite, ms); none to wait for events. */
export interface ReconcileResult {
  /** Reconcile again after this many ms (0 = as soon as possible). Omit when done. */
  readonly requeueAfterMs?: number;
}

/**
 * Brings the world in line with one key. Failures are thrown, never returned:
 * - a TerminalError (anywhere in the `cause` chain) is logged and counted, and the key is not retried
 *   until something enqueues it again;
 * - any other error is retried with the rate limiter's backoff; see RequeueHints to steer that.
 * Waiting for something that is merely busy can also be expressed without an error, by returning
 * `{ requeueAfterMs }` with the reconciler's own delay.
 */
export interface Reconciler {
  /** Reconciles `request.key` once; must honour `request.signal`. */
  reconcile(request: ReconcileRequest): Promise<ReconcileResult>;
}

/**
 * Optional, duck-typed properties of a thrown error (or of an error in its `cause` chain):
 * - `retryAfterMs`: lower bound (ms) of the backoff delay, e.g. from a Retry-After header;
 * - `isBusy`: the other side is busy, not broken: still backs off, but is counted as a `requeue`
 *   rather than an error and logged at info level.
 */
export interface RequeueHints {
  /** Minimum delay before retrying, in ms. */
  readonly retryAfterMs?: number;
  /** True when the failure means "try again later", not "something is wrong". */
  readonly isBusy?: boolean;
}
