// A token bucket: `ratePerSecond` tokens refill continuously up to `burst`; each request takes one.
import { abortableSleep, type Sleep } from './abortable-sleep.js';

/** Options of {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Refill rate in tokens per second; must be > 0. */
  ratePerSecond: number;
  /** Capacity (and initial fill) in tokens; must be ≥ 1. */
  burst: number;
  /** Current time in milliseconds; default Date.now. */
  now?: () => number;
  /** Waits for a refill; default real timers. */
  sleep?: Sleep;
}

/** A FIFO token bucket: waiters reserve future tokens in order, so no one starves. */
export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  // May go negative: a negative balance is tokens already promised to waiters.
  #tokens: number;
  #updatedAt: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be > 0');
    if (!(options.burst >= 1)) throw new RangeError('burst must be >= 1');
    this.#ratePerMs = options.ratePerSecond / 1000;
    this.#burst = options.burst;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? abortableSleep;
    this.#tokens = options.burst;
    this.#updatedAt = this.#now();
  }

  /** Tokens available right now (negative while waiters hold reservations). */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Takes one token, waiting for the refill if needed; rejects (returning the token) when `signal` aborts. */
  async take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.#refill();
    this.#tokens -= 1;
    if (this.#tokens >= 0) return;
    const waitMs = Math.ceil(-this.#tokens / this.#ratePerMs);
    try {
      await this.#sleep(waitMs, signal);
    } catch (error) {
      this.#tokens += 1;
      throw error;
    }
  }

  #refill(): void {
    const now = this.#now();
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#ratePerMs);
    this.#updatedAt = now;
  }
}
