// Time as a seam: everything that waits or measures takes a Clock, so unit tests drive time by hand.

/** Cancels a scheduled callback; calling it after the callback ran, or twice, does nothing. */
export type CancelTimer = () => void;

/** A source of time and timers. */
export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin; only differences are meaningful). */
  now(): number;
  /** Runs `fn` once after `delayMs` milliseconds (negative delays count as 0). */
  schedule(delayMs: number, fn: () => void): CancelTimer;
  /** Resolves after `delayMs`; rejects with the signal's reason when `signal` aborts first. */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
}

/** Waits on `clock` for `delayMs`, rejecting early when `signal` aborts; shared by Clock implementations. */
export function sleepOn(clock: Pick<Clock, 'schedule'>, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = clock.schedule(delayMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The real clock: `Date.now()` and Node timers. Timers are unref'd so they never hold the process open. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  schedule(delayMs: number, fn: () => void): CancelTimer {
    const timer = setTimeout(fn, Math.max(0, delayMs));
    timer.unref();
    return () => clearTimeout(timer);
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, delayMs, signal);
  }
}
