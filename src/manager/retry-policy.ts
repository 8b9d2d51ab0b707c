// When the client itself retries: idempotent reads only, on transient faults, a bounded number of times.
import { RateLimitedError, UnavailableError } from './errors.js';

/** Options of {@link RetryPolicy}. */
export interface RetryPolicyOptions {
  /** Attempts in total, the first included; default 3. */
  maxAttempts?: number;
  /** Backoff before the second attempt in milliseconds, doubled for each further attempt; default 200. */
  baseDelayMs?: number;
  /** Upper bound of the exponential backoff in milliseconds; default 5000. */
  maxDelayMs?: number;
  /** A Retry-After longer than this (ms) is not waited for: the error is thrown instead; default 30000. */
  maxRetryAfterMs?: number;
  /** Uniform random number in [0, 1) for jitter; default Math.random. */
  random?: () => number;
}

/** Decides whether and when a failed idempotent read is tried again. */
export class RetryPolicy {
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #random: () => number;

  constructor(options: RetryPolicyOptions = {}) {
    this.#maxAttempts = options.maxAttempts ?? 3;
    this.#baseDelayMs = options.baseDelayMs ?? 200;
    this.#maxDelayMs = options.maxDelayMs ?? 5000;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.#random = options.random ?? Math.random;
  }

  /**
   * Milliseconds to wait before attempt `attempt + 1`, or `undefined` to give up and throw `error`.
   * `attempt` counts the attempts made so far (1 after the first failure).
   */
  delayAfter(attempt: number, error: unknown): number | undefined {
    if (attempt >= this.#maxAttempts) return undefined;
    if (!(error instanceof RateLimitedError || error instanceof UnavailableError)) return undefined;
    if (error.retryAfterMs !== undefined) {
      // A long Retry-After is the server asking for patience: let the controller's backoff carry it.
      return error.retryAfterMs > this.#maxRetryAfterMs ? undefined : error.retryAfterMs;
    }
    return this.backoffMs(attempt);
  }

  /** Equal-jitter exponential backoff after `attempt` attempts: half fixed, half random. */
  backoffMs(attempt: number): number {
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.#random() * ceiling) / 2);
  }
}
