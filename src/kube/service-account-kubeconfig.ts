import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ControlPlaneError } from './control-plane-error.js';
import { kubeconfigYaml } from './kubeconfig-yaml.js';

/** Options for {@link serviceAccountKubeConfig}. */
export interface ServiceAccountKubeConfigOptions {
  /** Namespace of the ServiceAccount. */
  namespace: string;
  /** Name of the ServiceAccount; created when absent. */
  name: string;
  /** Token lifetime in seconds; default 3 600 (the API's minimum is 600). */
  expirationSeconds?: number;
}

/** A kubeconfig that authenticates as a ServiceAccount. */
export interface ServiceAccountKubeConfig {
  /** Loaded client configuration. */
  kubeConfig: KubeConfig;
  /** The same configuration as YAML, for a child process's KUBECONFIG. */
  yaml: string;
  /** The bearer token from the TokenRequest API. */
  token: string;
}

/** Creates the ServiceAccount if needed, requests a token for it and returns a kubeconfig that uses it. */
export async function serviceAccountKubeConfig(
  admin: KubeConfig,
  options: ServiceAccountKubeConfigOptions,
): Promise<ServiceAccountKubeConfig> {
  const core = admin.makeApiClient(CoreV1Api);
  const { namespace, name } = options;
  try {
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name, namespace } } });
  } catch (error) {
    if (!(error instanceof ApiException) || error.code !== 409) throw error;
  }
  const request = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: options.expirationSeconds ?? 3_600 } },
  });
  const token = request.status?.token;
  const cluster = admin.getCurrentCluster();
  if (token === undefined || cluster === null) {
    throw new ControlPlaneError('TOKEN_REQUEST_FAILED', `no token issued for ServiceAccount ${namespace}/${name}`);
  }
  const caPem = cluster.caData !== undefined ? Buffer.from(cluster.caData, 'base64').toString('utf8') : '';
  const yaml = kubeconfigYaml({ server: cluster.server, caPem, credentials: { token }, name: `${namespace}-${name}`, namespace });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(yaml);
  return { kubeConfig, yaml, token };
}
