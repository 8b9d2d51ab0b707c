// Vitest global setup for the integration project: one etcd + kube-apiserver per test run.
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureKubeBinaries } from '../../src/kube/binaries/kube-binaries.js';
import { ControlPlane } from '../../src/kube/control-plane.js';

declare module 'vitest' {
  /** Values the global setup hands to every integration test through `inject`. */
  export interface ProvidedContext {
    /** Path of the admin kubeconfig of the shared control plane. */
    kubeconfigPath: string;
  }
}

const root = resolve(import.meta.dirname, '..', '..');

/** The CRD manifests every integration run installs: the project's crds/ plus the test fixtures. */
export const crdDirectories: readonly string[] = [join(root, 'crds'), join(root, 'test', 'support', 'fixtures')];

async function yamlFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir).catch(() => []);
  return entries.filter((entry) => entry.endsWith('.yaml') || entry.endsWith('.yml')).sort().map((entry) => join(dir, entry));
}

/** Builds the binaries if missing, starts the control plane, installs CRDs and provides the kubeconfig path. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const binaries = await ensureKubeBinaries({
    onProgress: (line) => process.stderr.write(`[kube-bins] ${line}\n`),
  });
  const crdPaths = (await Promise.all(crdDirectories.map(yamlFilesIn))).flat();
  const plane = await ControlPlane.start({ kubeApiserverPath: binaries.kubeApiserver, etcdPath: binaries.etcd, crdPaths });
  project.provide('kubeconfigPath', plane.kubeconfigPath);
  return () => plane.stop();
}
