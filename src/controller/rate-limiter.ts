// Per-key exponential backoff combined with a global token bucket, as client-go's
// DefaultControllerRateLimiter: a failing key backs off, and a storm of failing keys is bounded too.
import { SystemClock, type Clock } from './clock.js';

/** Decides how long a key waits before its next retry. */
export interface RateLimiter<K = string> {
  /** Delay (ms) before `key` may be retried; each call counts as one more failure. */
  when(key: K): number;
  /** Forgets `key`'s failures, so its next delay starts from the base again. */
  forget(key: K): void;
  /** How many times `key` has been rate-limited since it was last forgotten. */
  numRequeues(key: K): number;
}

/** Options of ExponentialBackoffRateLimiter. */
export interface ExponentialBackoffOptions {
  /** First delay in ms; doubles per failure. Default 5 (controller-runtime). */
  baseDelayMs?: number;
  /** Upper bound of the delay in ms, jitter included. Default 1_000_000 (1000 s). */
  maxDelayMs?: number;
  /** Adds up to this fraction of the delay at random (0.1 = up to +10%). Default 0 (no jitter). */
  jitterFactor?: number;
  /** Source of randomness in [0, 1) for jitter. Default Math.random. */
  random?: () => number;
}

/** Per-key backoff: baseDelayMs × 2^failures, plus optional jitter, capped at maxDelayMs. */
export class ExponentialBackoffRateLimiter<K = string> implements RateLimiter<K> {
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #jitterFactor: number;
  readonly #random: () => number;
  readonly #failures = new Map<K, number>();

  constructor(options: ExponentialBackoffOptions = {}) {
    this.#baseDelayMs = options.baseDelayMs ?? 5;
    this.#maxDelayMs = options.maxDelayMs ?? 1_000_000;
    this.#jitterFactor = options.jitterFactor ?? 0;
    this.#random = options.random ?? Math.random;
  }

  when(key: K): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    // Exponent bounded so the multiplication never overflows to Infinity.
    const backoffMs = this.#baseDelayMs * 2 ** Math.min(failures, 62);
    const jitteredMs = backoffMs * (1 + this.#jitterFactor * this.#random());
    return Math.min(this.#maxDelayMs, jitteredMs);
  }

  forget(key: K): void {
    this.#failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.#failures.get(key) ?? 0;
  }
}

/** Options of TokenBucketRateLimiter. */
export interface TokenBucketOptions {
  /** Tokens added per second. Default 10. */
  qps?: number;
  /** Bucket size: retries allowed at once before qps applies. Default 100. */
  burst?: number;
  /** Clock used to refill the bucket. Default SystemClock. */
  clock?: Clock;
}

/** Global bucket shared by all keys: each when() reserves a token and waits until it is available. */
export class TokenBucketRateLimiter<K = string> implements RateLimiter<K> {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #lastMs: number;

  constructor(options: TokenBucketOptions = {}) {
    this.#qps = options.qps ?? 10;
    this.#burst = options.burst ?? 100;
    this.#clock = options.clock ?? new SystemClock();
    this.#tokens = this.#burst;
    this.#lastMs = this.#clock.now();
  }

  when(_key: K): number {
    const nowMs = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((nowMs - this.#lastMs) * this.#qps) / 1000);
    this.#lastMs = nowMs;
    // Reservation as in golang.org/x/time/rate: the balance may go negative, and the debt is the wait.
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens * 1000) / this.#qps;
  }

  forget(_key: K): void {
    // The bucket is global: nothing per key to forget.
  }

  numRequeues(_key: K): number {
    return 0;
  }
}

/** Combines limiters: the delay is the longest of theirs, and every limiter records every call. */
export class MaxOfRateLimiter<K = string> implements RateLimiter<K> {
  readonly #limiters: readonly RateLimiter<K>[];

  constructor(limiters: readonly RateLimiter<K>[]) {
    this.#limiters = limiters;
  }

  when(key: K): number {
    return Math.max(0, ...this.#limiters.map((l) => l.when(key)));
  }

  forget(key: K): void {
    for (const limiter of this.#limiters) limiter.forget(key);
  }

  numRequeues(key: K): number {
    return Math.max(0, ...this.#limiters.map((l) => l.numRequeues(key)));
  }
}

/** Options of defaultRateLimiter: backoff and bucket options together. */
export type DefaultRateLimiterOptions = ExponentialBackoffOptions & TokenBucketOptions;

/** client-go's DefaultControllerRateLimiter, configurable: max of per-key backoff and a global bucket. */
export function defaultRateLimiter<K = string>(options: DefaultRateLimiterOptions = {}): RateLimiter<K> {
  return new MaxOfRateLimiter<K>([
    new ExponentialBackoffRateLimiter<K>(options),
    new TokenBucketRateLimiter<K>(options),
  ]);
}
