import { access, constants, readFile, writeFile, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { withBuildLock } from './build-lock.js';
import { KubeBinariesError } from './kube-binaries-error.js';
import { buildKubeRelease, type KubeBuildManifest } from './kube-release-build.js';

export { KubeBinariesError } from './kube-binaries-error.js';

/**
 * Kubernetes releases to build, best first. The first is the pinned release; the others are neighbours
 * tried only when it fails to build. Each pairs with the etcd named in its own build/dependencies.yaml.
 */
export const kubeReleases: readonly string[] = ['v1.37.2', 'v1.36.3', 'v1.35.4', 'v1.34.4'];

/** Absolute paths of the three control-plane binaries and where they came from. */
export interface KubeBinaries {
  /** Path of kube-apiserver. */
  kubeApiserver: string;
  /** Path of etcd. */
  etcd: string;
  /** Path of kubectl. */
  kubectl: string;
  /** `env` when taken from KUBEBUILDER_ASSETS / TEST_ASSET_*, `cache` when built by this project. */
  source: 'env' | 'cache';
  /** The build manifest when `source` is `cache`. */
  manifest?: KubeBuildManifest;
}

/** Options for {@link resolveKubeBinaries} and {@link ensureKubeBinaries}. */
export interface KubeBinariesOptions {
  /** Environment to read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Receives progress lines while building; default prints to stderr. */
  onProgress?: (line: string) => void;
}

/** The cache directory for built Kubernetes binaries: `$IMPLY_OPERATOR_CACHE/kube` or `~/.cache/imply-operator/kube`. */
export function kubeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['IMPLY_OPERATOR_CACHE'] ?? join(homedir(), '.cache', 'imply-operator'), 'kube');
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function fromEnv(env: NodeJS.ProcessEnv): Promise<KubeBinaries | undefined> {
  const assets = env['KUBEBUILDER_ASSETS'];
  const pick = (variable: string, file: string): string | undefined =>
    env[variable] ?? (assets === undefined || assets === '' ? undefined : join(assets, file));
  const paths = {
    kubeApiserver: pick('TEST_ASSET_KUBE_APISERVER', 'kube-apiserver'),
    etcd: pick('TEST_ASSET_ETCD', 'etcd'),
    kubectl: pick('TEST_ASSET_KUBECTL', 'kubectl'),
  };
  if (Object.values(paths).every((path) => path === undefined)) return undefined;
  for (const [name, path] of Object.entries(paths)) {
    if (path === undefined || !(await isExecutable(path))) {
      throw new KubeBinariesError(
        'ASSET_MISSING',
        `KUBEBUILDER_ASSETS / TEST_ASSET_* are set but no executable ${name} was found (${path ?? 'unset'})`,
      );
    }
  }
  return { kubeApiserver: paths.kubeApiserver ?? '', etcd: paths.etcd ?? '', kubectl: paths.kubectl ?? '', source: 'env' };
}

async function fromCache(version: string, env: NodeJS.ProcessEnv): Promise<KubeBinaries | undefined> {
  const bin = join(kubeCacheDir(env), version, 'bin');
  const manifestText = await readFile(join(bin, 'manifest.json'), 'utf8').catch(() => undefined);
  if (manifestText === undefined) return undefined;
  const binaries = { kubeApiserver: join(bin, 'kube-apiserver'), etcd: join(bin, 'etcd'), kubectl: join(bin, 'kubectl') };
  for (const path of Object.values(binaries)) if (!(await isExecutable(path))) return undefined;
  return { ...binaries, source: 'cache', manifest: JSON.parse(manifestText) as KubeBuildManifest };
}

/** Finds the binaries without building: env variables first, then the cache; throws `NOT_BUILT` when absent. */
export async function resolveKubeBinaries(options: KubeBinariesOptions = {}): Promise<KubeBinaries> {
  const env = options.env ?? process.env;
  const configured = await fromEnv(env);
  if (configured !== undefined) return configured;
  for (const version of kubeReleases) {
    const cached = await fromCache(version, env);
    if (cached !== undefined) return cached;
  }
  throw new KubeBinariesError(
    'NOT_BUILT',
    `no kube-apiserver/etcd/kubectl in ${kubeCacheDir(env)}; run \`npm run kube:bins\` or set KUBEBUILDER_ASSETS`,
  );
}

/** Resolves the binaries, building the pinned release (or a neighbour if it fails) when none are present. */
export async function ensureKubeBinaries(options: KubeBinariesOptions = {}): Promise<KubeBinaries> {
  const env = options.env ?? process.env;
  const onProgress = options.onProgress ?? ((line: string) => process.stderr.write(`[kube-bins] ${line}\n`));
  try {
    return await resolveKubeBinaries({ env });
  } catch (error) {
    if (!(error instanceof KubeBinariesError) || error.code !== 'NOT_BUILT') throw error;
  }
  const failures: string[] = [];
  for (const version of kubeReleases) {
    const versionDir = join(kubeCacheDir(env), version);
    try {
      const manifest = await withBuildLock(
        { dir: versionDir, onProgress },
        async () => (await fromCache(version, env))?.manifest,
        () => {
          onProgress(`building Kubernetes ${version} into ${versionDir} (first run compiles for 10-20 minutes)`);
          return buildKubeRelease({ version, versionDir, onProgress });
        },
      );
      onProgress(`built Kubernetes ${manifest.kubernetes} and etcd ${manifest.etcd} in ${manifest.buildSeconds}s`);
      return await resolveKubeBinaries({ env });
    } catch (error) {
      if (error instanceof KubeBinariesError && error.code === 'GO_NOT_FOUND') throw error;
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${version}: ${message}`);
      await mkdir(versionDir, { recursive: true });
      await writeFile(join(versionDir, 'build-error.log'), `${message}\n`);
      onProgress(`Kubernetes ${version} failed to build (see ${join(versionDir, 'build-error.log')}); trying the next release`);
    }
  }
  throw new KubeBinariesError('BUILD_FAILED', `no Kubernetes release built:\n${failures.join('\n\n')}`);
}
