import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isProcessAlive } from '../process-liveness.js';

/** Options for {@link withBuildLock}. */
export interface BuildLockOptions {
  /** Directory that holds the lock file `build.lock`. */
  dir: string;
  /** Receives a line when waiting for another process. */
  onProgress: (line: string) => void;
  /** Pause between checks while another process holds the lock, in milliseconds; default 5 000. */
  pollMs?: number;
}

async function tryAcquire(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number(await readFile(path, 'utf8').catch(() => ''));
  if (!Number.isInteger(holder) || holder <= 0 || !isProcessAlive(holder)) {
    // The holder died mid-build; its partial output is cleaned up by the next build.
    await rm(path, { force: true });
  }
  return false;
}

/**
 * Runs `work` while holding an exclusive per-directory lock, so two processes (say `npm run kube:bins` and a test
 * run's global setup) never compile the same release at once. `isDone` is checked after waiting, so a waiter reuses
 * what the holder built instead of building it again.
 */
export async function withBuildLock<T>(
  options: BuildLockOptions,
  isDone: () => Promise<T | undefined>,
  work: () => Promise<T>,
): Promise<T> {
  await mkdir(options.dir, { recursive: true });
  const path = join(options.dir, 'build.lock');
  let hasReported = false;
  while (!(await tryAcquire(path))) {
    if (!hasReported) options.onProgress(`another process is building in ${options.dir}; waiting for it`);
    hasReported = true;
    await delay(options.pollMs ?? 5_000);
  }
  try {
    return (await isDone()) ?? (await work());
  } finally {
    await rm(path, { force: true });
  }
}
