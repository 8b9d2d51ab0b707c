import { setTimeout as delay } from 'node:timers/promises';

/** Options for {@link pollUntil}. */
export interface PollUntilOptions {
  /** Give up after this many milliseconds; required. */
  timeoutMs: number;
  /** Pause between attempts in milliseconds; default 100. */
  intervalMs?: number;
  /** Stop early (rejecting) when this signal aborts. */
  signal?: AbortSignal;
}

/** Calls `check` until it returns a value other than `undefined`; resolves with it, or `undefined` on timeout. */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  options: PollUntilOptions,
): Promise<T | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 100;
  for (;;) {
    options.signal?.throwIfAborted();
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await delay(intervalMs, undefined, options.signal === undefined ? {} : { signal: options.signal });
  }
}
