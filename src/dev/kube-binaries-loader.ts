// The control-plane binaries for `dev`: reused from the cache (or KUBEBUILDER_ASSETS), else built
// from the Go module proxy, with a notice first since the first build takes about 20 minutes.
import { ensureKubeBinaries, resolveKubeBinaries, type KubeBinaries } from '../kube/binaries/kube-binaries.js';

/** Paths of the control-plane binaries. */
export type DevKubeBinaries = KubeBinaries;

/** Options of {@link ensureDevKubeBinaries}. */
export interface EnsureDevKubeBinariesOptions {
  /** Called once, before a build starts (there were no binaries to reuse). */
  onBuildStart: () => void;
  /** Receives each progress line of the build. */
  onProgress: (line: string) => void;
}

/** Reuses cached (or KUBEBUILDER_ASSETS) kube-apiserver, etcd and kubectl, or builds them (~20 minutes the first time). */
export async function ensureDevKubeBinaries(options: EnsureDevKubeBinariesOptions): Promise<DevKubeBinaries> {
  try {
    return await resolveKubeBinaries();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'NOT_BUILT') throw error;
  }
  options.onBuildStart();
  return ensureKubeBinaries({ onProgress: options.onProgress });
}
