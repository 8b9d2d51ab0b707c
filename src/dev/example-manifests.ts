// The sample resources `dev` creates: every *.yaml of the chosen directories (or the chosen
// files), with ImplyAccounts that point at a local emulator re-pointed at this run's emulator.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PatchStrategy, KubernetesObjectApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { implyAccountKind } from '../implyaccount/implyaccount-resource.js';

/** One manifest and the file it came from. */
export interface ExampleManifest {
  object: KubernetesObject & { spec?: Record<string, unknown> };
  file: string;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Field manager of the server-side applies, as shown in managedFields. */
const fieldManager = 'imply-operator-dev';

/** The *.yaml / *.yml files of each path (a directory) or the path itself (a file), sorted per directory. */
export async function exampleFilesIn(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if (!(await stat(path)).isDirectory()) {
      files.push(path);
      continue;
    }
    const entries = (await readdir(path)).filter((e) => e.endsWith('.yaml') || e.endsWith('.yml')).sort();
    files.push(...entries.map((e) => join(path, e)));
  }
  return files;
}

/** Parses every document of `files`; documents without kind (empty, comments only) are skipped. */
export async function exampleManifestsFrom(files: readonly string[]): Promise<ExampleManifest[]> {
  const manifests: ExampleManifest[] = [];
  for (const file of files) {
    for (const document of parseAllDocuments(await readFile(file, 'utf8'))) {
      if (document.errors.length > 0) throw new Error(`cannot parse ${file}: ${document.errors[0]?.message ?? ''}`);
      const object = document.toJS() as ExampleManifest['object'] | null;
      if (object?.kind !== undefined) manifests.push({ object, file });
    }
  }
  return manifests;
}

/** `manifest` in `namespace` (unless it names one), with a loopback ImplyAccount URL replaced by `emulatorUrl`. */
export function devManifestFor(manifest: ExampleManifest['object'], options: { namespace: string; emulatorUrl: string }): ExampleManifest['object'] {
  const metadata = { ...manifest.metadata, namespace: manifest.metadata?.namespace ?? options.namespace };
  const url = manifest.spec?.['url'];
  if (manifest.kind !== implyAccountKind || typeof url !== 'string' || !isLoopback(url)) return { ...manifest, metadata };
  return { ...manifest, metadata, spec: { ...manifest.spec, url: options.emulatorUrl } };
}

function isLoopback(url: string): boolean {
  try {
    return loopbackHosts.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Server-side applies each object in order (as `kubectl apply --server-side`), so re-applying is harmless. */
export async function applyManifests(kubeConfig: KubeConfig, objects: readonly KubernetesObject[]): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kubeConfig);
  for (const object of objects) {
    try {
      await api.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply);
    } catch (cause) {
      const name = `${object.kind ?? '?'} ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? '?'}`;
      throw new Error(`cannot apply ${name}: ${messageOf(cause)}`, { cause });
    }
  }
}

function messageOf(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  return error instanceof Error ? error.message : String(error);
}
