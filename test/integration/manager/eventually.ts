import { setTimeout as delay } from 'node:timers/promises';

/** Calls `check` until it returns true, pausing `intervalMs` (default 20) between calls; false after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, options: { timeoutMs: number; intervalMs?: number }): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await delay(options.intervalMs ?? 20);
  }
}
