// A Clock whose time moves only when a test calls advance(); timers fire in due order.
import { sleepOn, type CancelTimer, type Clock } from '../../src/controller/clock.js';

interface PendingTimer {
  readonly dueMs: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** Lets every queued microtask (and promise chain) run; uses setImmediate, never a timer. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A test double for Clock: time starts at `startMs` (default 0) and advances only on advance(). */
export class ManualClock implements Clock {
  #nowMs: number;
  #seq = 0;
  #timers: PendingTimer[] = [];

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  schedule(delayMs: number, fn: () => void): CancelTimer {
    const timer: PendingTimer = { dueMs: this.#nowMs + Math.max(0, delayMs), seq: this.#seq++, fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, delayMs, signal);
  }

  /** Number of timers not yet fired or cancelled. */
  pendingTimers(): number {
    return this.#timers.length;
  }

  /** Due times (ms) of pending timers, earliest first. */
  pendingDueTimes(): number[] {
    return this.#sorted().map((t) => t.dueMs);
  }

  /**
   * Moves time forward by `ms`, firing due timers in order (ties in scheduling order) and letting
   * microtasks settle after each, so timers scheduled by a fired callback also fire if due.
   */
  async advance(ms: number): Promise<void> {
    const targetMs = this.#nowMs + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.#sorted()[0];
      if (next === undefined || next.dueMs > targetMs) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#nowMs = Math.max(this.#nowMs, next.dueMs);
      next.fn();
      await flushMicrotasks();
    }
    this.#nowMs = targetMs;
    await flushMicrotasks();
  }

  /** Lets pending microtasks run without moving time. */
  flush(): Promise<void> {
    return flushMicrotasks();
  }

  #sorted(): PendingTimer[] {
    return [...this.#timers].sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq);
  }
}
