const cleanups = new Set<() => void>();
let isInstalled = false;

function runAll(): void {
  // Last registered runs first, like `defer`: children die before the directory they write to is removed.
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // Best effort while exiting: one failed cleanup must not skip the others.
    }
  }
  cleanups.clear();
}

function install(): void {
  if (isInstalled) return;
  isInstalled = true;
  // 'exit' handlers run synchronously, so cleanups must be synchronous (signals, rmSync).
  process.once('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      runAll();
      // Restore the default behaviour only when nobody else handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/** Registers a synchronous cleanup to run if this process exits or is signalled first; returns a function that unregisters it. */
export function cleanupOnExit(cleanup: () => void): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
