// Loads scripts/kube-binaries.ts at run time. A static import would pull scripts/ into the
// program of `npm run build` (rootDir src), so the module is imported by URL and typed by the
// small part `dev` uses. From dist/ (no tsx loader) tsx's tsImport compiles it on the fly.
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Paths of the control-plane binaries (the part of scripts/kube-binaries.ts `KubeBinaries` that dev uses). */
export interface DevKubeBinaries {
  kubeApiserver: string;
  etcd: string;
  kubectl: string;
  /** `env` when taken from KUBEBUILDER_ASSETS / TEST_ASSET_*, `cache` when built by this project. */
  source: 'env' | 'cache';
}

interface KubeBinariesModule {
  resolveKubeBinaries(options?: { env?: NodeJS.ProcessEnv }): Promise<DevKubeBinaries>;
  ensureKubeBinaries(options?: { env?: NodeJS.ProcessEnv; onProgress?: (line: string) => void }): Promise<DevKubeBinaries>;
}

/** Options of {@link ensureDevKubeBinaries}. */
export interface EnsureDevKubeBinariesOptions {
  /** Called once, before a build starts (there were no binaries to reuse). */
  onBuildStart: () => void;
  /** Receives each progress line of the build. */
  onProgress: (line: string) => void;
}

const moduleUrl = new URL('../../scripts/kube-binaries.ts', import.meta.url);

/** Reuses cached (or KUBEBUILDER_ASSETS) kube-apiserver, etcd and kubectl, or builds them (~20 minutes the first time). */
export async function ensureDevKubeBinaries(options: EnsureDevKubeBinariesOptions): Promise<DevKubeBinaries> {
  const scripts = await loadScripts();
  try {
    return await scripts.resolveKubeBinaries();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'NOT_BUILT') throw error;
  }
  options.onBuildStart();
  return scripts.ensureKubeBinaries({ onProgress: options.onProgress });
}

async function loadScripts(): Promise<KubeBinariesModule> {
  const path = fileURLToPath(moduleUrl);
  try {
    await access(path);
  } catch (cause) {
    throw new Error(`imply-operator dev needs a source checkout: ${path} is missing`, { cause });
  }
  if (import.meta.url.endsWith('.ts')) return (await import(moduleUrl.href)) as KubeBinariesModule;
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(moduleUrl.href, import.meta.url)) as KubeBinariesModule;
}
