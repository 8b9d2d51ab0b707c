import { stringify } from 'yaml';

/** How a kubeconfig user authenticates: a client certificate or a bearer token. */
export type KubeconfigCredentials =
  | { clientCertificatePem: string; clientKeyPem: string }
  | { token: string };

/** Options for {@link kubeconfigYaml}. */
export interface KubeconfigYamlOptions {
  /** API server URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** PEM of the CA that signed the serving certificate. */
  caPem: string;
  /** Credentials of the single user. */
  credentials: KubeconfigCredentials;
  /** Name used for the cluster, user and context; default `imply-operator`. */
  name?: string;
  /** Default namespace of the context; default none. */
  namespace?: string;
}

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A self-contained kubeconfig (certificates embedded) with one cluster, user and current context. */
export function kubeconfigYaml(options: KubeconfigYamlOptions): string {
  const name = options.name ?? 'imply-operator';
  const { credentials } = options;
  const user =
    'token' in credentials
      ? { token: credentials.token }
      : {
          'client-certificate-data': base64(credentials.clientCertificatePem),
          'client-key-data': base64(credentials.clientKeyPem),
        };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: options.server, 'certificate-authority-data': base64(options.caPem) } }],
    users: [{ name, user }],
    contexts: [
      {
        name,
        context: { cluster: name, user: name, ...(options.namespace === undefined ? {} : { namespace: options.namespace }) },
      },
    ],
    'current-context': name,
  });
}
