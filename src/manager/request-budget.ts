// The per-account request budget shared by every caller of one account: a rate and a concurrency cap.
import type { Sleep } from './abortable-sleep.js';
import { type Release, Semaphore } from './semaphore.js';
import { TokenBucket } from './token-bucket.js';

/** Options of {@link RequestBudget}. */
export interface RequestBudgetOptions {
  /** Sustained requests per second; default 10. */
  ratePerSecond?: number;
  /** Requests allowed at once after a quiet period; default 20. */
  burst?: number;
  /** Requests in flight at most; default 8. */
  maxConcurrent?: number;
  /** Current time in milliseconds, for the token bucket; default Date.now. */
  now?: () => number;
  /** Waits for the token bucket's refill; default real timers. */
  sleep?: Sleep;
}

/** Construct one per account and pass it to every client of that account. Each HTTP attempt acquires it. */
export class RequestBudget {
  readonly #bucket: TokenBucket;
  readonly #slots: Semaphore;

  constructor(options: RequestBudgetOptions = {}) {
    this.#bucket = new TokenBucket({
      ratePerSecond: options.ratePerSecond ?? 10,
      burst: options.burst ?? 20,
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    });
    this.#slots = new Semaphore(options.maxConcurrent ?? 8);
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#slots.held;
  }

  /** Waits for a concurrency slot, then a rate token; call the returned function when the request ends. */
  async acquire(signal?: AbortSignal): Promise<Release> {
    // Slot first, so a token is spent only when the request can go out right after.
    const release = await this.#slots.acquire(signal);
    try {
      await this.#bucket.take(signal);
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }
}
