// A work queue with client-go semantics: a key waits at most once (dirty set), is handed to one
// worker at a time (processing set), and a key added while processing runs again after done().
import { SystemClock, type CancelTimer, type Clock } from './clock.js';
import { defaultRateLimiter, type RateLimiter } from './rate-limiter.js';

/** Optional callbacks a metrics exporter implements (workqueue_* of client-go). */
export interface WorkQueueMetrics {
  /** A key was added (workqueue_adds_total), including duplicates that collapsed. */
  add?(): void;
  /** The number of keys waiting changed (workqueue_depth). */
  depth?(depth: number): void;
  /** A key was re-added through the rate limiter (workqueue_retries_total). */
  retry?(): void;
  /** A key waited this long between add and get (workqueue_queue_duration_seconds). */
  queueDurationMs?(ms: number): void;
  /** A key was processed this long between get and done (workqueue_work_duration_seconds). */
  workDurationMs?(ms: number): void;
}

/** Options of WorkQueue. */
export interface WorkQueueOptions<K> {
  /** Clock for delays and durations. Default SystemClock. */
  clock?: Clock;
  /** Rate limiter behind addRateLimited. Default defaultRateLimiter() (5 ms…1000 s, 10 qps, burst 100). */
  rateLimiter?: RateLimiter<K>;
  /** Metrics callbacks. Default none. */
  metrics?: WorkQueueMetrics;
}

/** Options of addRateLimited. */
export interface AddRateLimitedOptions {
  /** Lower bound of the delay in ms (a Retry-After, say). Default 0. */
  minDelayMs?: number;
}

/** A deduplicating, delaying, rate-limited queue of keys. `get()` resolves `undefined` once shut down. */
export class WorkQueue<K extends NonNullable<unknown> = string> {
  readonly #clock: Clock;
  readonly #rateLimiter: RateLimiter<K>;
  readonly #metrics: WorkQueueMetrics;
  #queue: K[] = [];
  readonly #dirty = new Set<K>();
  readonly #processing = new Set<K>();
  readonly #addedAtMs = new Map<K, number>();
  readonly #startedAtMs = new Map<K, number>();
  readonly #waiting = new Map<K, { readyAtMs: number; cancel: CancelTimer }>();
  #getters: ((key: K | undefined) => void)[] = [];
  #drainers: (() => void)[] = [];
  #isShuttingDown = false;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.#clock = options.clock ?? new SystemClock();
    this.#rateLimiter = options.rateLimiter ?? defaultRateLimiter<K>({ clock: this.#clock });
    this.#metrics = options.metrics ?? {};
  }

  /** Adds `key` unless it is already waiting; a key being processed is re-queued after done(). */
  add(key: K): void {
    if (this.#isShuttingDown) return;
    this.#metrics.add?.();
    if (this.#dirty.has(key)) return;
    this.#dirty.add(key);
    this.#addedAtMs.set(key, this.#clock.now());
    if (this.#processing.has(key)) return;
    this.#push(key);
  }

  /** Adds `key` after `delayMs`; if it is already scheduled, the earlier time wins. */
  addAfter(key: K, delayMs: number): void {
    if (this.#isShuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const readyAtMs = this.#clock.now() + delayMs;
    const existing = this.#waiting.get(key);
    if (existing !== undefined) {
      if (existing.readyAtMs <= readyAtMs) return;
      existing.cancel();
    }
    const cancel = this.#clock.schedule(delayMs, () => {
      this.#waiting.delete(key);
      this.add(key);
    });
    this.#waiting.set(key, { readyAtMs, cancel });
  }

  /** Adds `key` after the rate limiter's delay for it (at least `minDelayMs`). */
  addRateLimited(key: K, options: AddRateLimitedOptions = {}): void {
    if (this.#isShuttingDown) return;
    this.#metrics.retry?.();
    this.addAfter(key, Math.max(this.#rateLimiter.when(key), options.minDelayMs ?? 0));
  }

  /** Resets `key`'s backoff; call it when the key was processed successfully. */
  forget(key: K): void {
    this.#rateLimiter.forget(key);
  }

  /** How many times `key` was rate-limited since its last forget(). */
  numRequeues(key: K): number {
    return this.#rateLimiter.numRequeues(key);
  }

  /** Number of keys waiting to be handed out (not counting delayed or processing keys). */
  len(): number {
    return this.#queue.length;
  }

  /** Whether shutDown() was called. */
  isShuttingDown(): boolean {
    return this.#isShuttingDown;
  }

  /** Resolves with the next key, marking it processing; or `undefined` once the queue is shut down. */
  get(): Promise<K | undefined> {
    if (this.#isShuttingDown) return Promise.resolve(undefined);
    const key = this.#queue.shift();
    if (key !== undefined) return Promise.resolve(this.#take(key));
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Marks `key` processed; if it was added meanwhile, it is queued again. */
  done(key: K): void {
    const startedAtMs = this.#startedAtMs.get(key);
    if (startedAtMs !== undefined) this.#metrics.workDurationMs?.(this.#clock.now() - startedAtMs);
    this.#startedAtMs.delete(key);
    this.#processing.delete(key);
    if (this.#dirty.has(key) && !this.#isShuttingDown) this.#push(key);
    if (this.#processing.size === 0) this.#resolveDrainers();
  }

  /** Stops intake: pending get() calls resolve `undefined`, waiting and delayed keys are dropped. */
  shutDown(): void {
    this.#isShuttingDown = true;
    for (const { cancel } of this.#waiting.values()) cancel();
    this.#waiting.clear();
    this.#queue = [];
    this.#dirty.clear();
    this.#addedAtMs.clear();
    this.#metrics.depth?.(0);
    const getters = this.#getters;
    this.#getters = [];
    for (const resolve of getters) resolve(undefined);
    if (this.#processing.size === 0) this.#resolveDrainers();
  }

  /** shutDown(), then resolves once every key handed out has been marked done(). */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainers.push(resolve));
  }

  #push(key: K): void {
    const getter = this.#getters.shift();
    if (getter !== undefined) {
      getter(this.#take(key));
      return;
    }
    this.#queue.push(key);
    this.#metrics.depth?.(this.#queue.length);
  }

  #take(key: K): K {
    const nowMs = this.#clock.now();
    this.#metrics.depth?.(this.#queue.length);
    const addedAtMs = this.#addedAtMs.get(key);
    if (addedAtMs !== undefined) this.#metrics.queueDurationMs?.(nowMs - addedAtMs);
    this.#addedAtMs.delete(key);
    this.#dirty.delete(key);
    this.#processing.add(key);
    this.#startedAtMs.set(key, nowMs);
    return key;
  }

  #resolveDrainers(): void {
    const drainers = this.#drainers;
    this.#drainers = [];
    for (const resolve of drainers) resolve();
  }
}
