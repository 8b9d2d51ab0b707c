// Per-test access to the shared control plane started by test/support/global-setup.ts.
import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';

/** Path of the shared control plane's admin kubeconfig. */
export function kubeconfigPath(): string {
  return inject('kubeconfigPath');
}

/** A freshly loaded admin KubeConfig for the shared control plane. */
export function kubeConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath());
  return config;
}

/**
 * Creates a namespace with a unique name starting with `prefix` and resolves with that name. Namespaces are never
 * deleted: a bare control plane has no namespace controller to finish the deletion, and the run is throwaway.
 */
export async function freshNamespace(prefix = 'test'): Promise<string> {
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'test';
  const name = `${safePrefix}-${randomBytes(4).toString('hex')}`;
  await kubeConfig().makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
  return name;
}
