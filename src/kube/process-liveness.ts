// Whether a process id still names a running process: lock files and pid files left by a killed
// process are recognised as stale this way.

/** True while a process with `pid` exists (signal 0 probes without sending anything). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
