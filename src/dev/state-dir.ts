// One `dev` per state directory: a pid file claims it, and the working directories a killed run
// left behind (etcd data, certificates) are removed before a new control plane starts there.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../kube/process-liveness.js';

/** Prefix of the control plane's working directories (see ControlPlane.start). */
const controlPlaneDirPrefix = 'imply-operator-kube-';

/** Claims `stateDir` for this process; resolves with the function that releases it. Fails if a live `dev` holds it. */
export async function claimStateDir(stateDir: string): Promise<() => Promise<void>> {
  const pidFile = join(stateDir, 'dev.pid');
  const holder = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isProcessAlive(holder)) {
    throw new Error(`another imply-operator dev (pid ${String(holder)}) uses ${stateDir}; stop it or choose another --state-dir`);
  }
  await writeFile(pidFile, `${String(process.pid)}\n`);
  const leftovers = (await readdir(stateDir)).filter((entry) => entry.startsWith(controlPlaneDirPrefix));
  await Promise.all(leftovers.map((entry) => rm(join(stateDir, entry), { recursive: true, force: true })));
  return () => rm(pidFile, { force: true });
}

