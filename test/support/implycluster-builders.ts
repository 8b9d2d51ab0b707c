// Builders of the Kubernetes objects the ImplyCluster and ImplyAccount reconcilers read: a valid
// ImplyCluster, an ImplyAccount, credentials and password Secrets, and a Lister over a Map.
import type { V1Secret } from '@kubernetes/client-node';
import type { Lister } from '../../src/implyaccount/account-clients.js';
import type { ImplyAccount } from '../../src/implyaccount/implyaccount-resource.js';
import { apiVersion, implyAccountKind, implyClusterKind, type ImplyCluster, type ImplyClusterSpec } from '../../src/implycluster/implycluster-resource.js';
import { aSpec } from './cluster-builders.js';

/** Namespace of every built object. */
export const testNamespace = 'analytics';
/** UID of the built ImplyCluster: the value of its owner tag. */
export const clusterUid = '6f1c1c39-3b8e-4b8a-9d7e-4b7c2a1f0001';

/** The ImplyCluster `analytics/clicks` of account `acme`, Imply name `clicks-prod`, at generation 1. */
export function anImplyCluster(spec: Partial<ImplyClusterSpec> = {}, metadata: ImplyCluster['metadata'] = {}): ImplyCluster {
  return {
    apiVersion,
    kind: implyClusterKind,
    metadata: { name: 'clicks', namespace: testNamespace, uid: clusterUid, generation: 1, ...metadata },
    spec: { accountRef: { name: 'acme' }, clusterName: 'clicks-prod', cluster: aSpec(), ...spec },
  };
}

/** The ImplyAccount `analytics/acme`, whose credentials are in Secret `acme-credentials`. */
export function anAccount(): ImplyAccount {
  return {
    apiVersion,
    kind: implyAccountKind,
    metadata: { name: 'acme', namespace: testNamespace, uid: '6f1c1c39-3b8e-4b8a-9d7e-4b7c2a1f0002', generation: 1 },
    spec: { url: 'https://acme.implycloud.test/api/v1', credentialsSecretRef: { name: 'acme-credentials' } },
  };
}

/** A Secret in the test namespace holding `data` (values base64-encoded as the API returns them). */
export function aSecret(name: string, data: Record<string, string>): V1Secret {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return { metadata: { name, namespace: testNamespace, resourceVersion: '1' }, data: encoded };
}

/** The credentials Secret of {@link anAccount}: a static token. */
export function aCredentialsSecret(): V1Secret {
  return aSecret('acme-credentials', { token: 'test-token-not-a-secret' });
}

/** A Lister over a Map keyed by `namespace/name`. */
export class MapLister<T extends { metadata?: { name?: string; namespace?: string } }> implements Lister<T> {
  readonly #items = new Map<string, T>();

  constructor(items: readonly T[] = []) {
    for (const item of items) this.put(item);
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  /** Adds or replaces an item. */
  put(item: T): void {
    this.#items.set(`${item.metadata?.namespace ?? ''}/${item.metadata?.name ?? ''}`, item);
  }

  /** Removes the item at `namespace/name`. */
  remove(key: string): void {
    this.#items.delete(key);
  }
}
