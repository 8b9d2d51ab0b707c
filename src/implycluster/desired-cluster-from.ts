// What the user asked for, in the API's terms: the Imply cluster name and its ClusterSpec, with the
// owner tag added (crash-safe create) and the referenced password filled in.
import type { ClusterSpec } from '../schema/index.js';
import { ownerTagName, type ImplyCluster } from './implycluster-resource.js';

/** The Imply cluster an ImplyCluster describes. */
export interface DesiredCluster {
  /** Imply `metadata.name`: spec.clusterName, default `<namespace>-<name>`. */
  name: string;
  spec: ClusterSpec;
}

/** The Imply cluster name of a resource. */
export function clusterNameFor(resource: ImplyCluster): string {
  return resource.spec.clusterName ?? `${resource.metadata.namespace}-${resource.metadata.name}`;
}

/** Desired name and spec; `password` is the resolved metadataStore password, if one is referenced. */
export function desiredClusterFrom(resource: ImplyCluster, password: string | undefined): DesiredCluster {
  const { metadataStore, awsTags, ...rest } = resource.spec.cluster;
  const spec: ClusterSpec = { ...rest, awsTags: [...(awsTags ?? []).filter((t) => t.name !== ownerTagName), ownerTagFor(resource)] };
  if (metadataStore !== undefined) {
    const { passwordSecretRef: _ref, ...store } = metadataStore;
    spec.metadataStore = password === undefined ? store : { ...store, password };
  }
  return { name: clusterNameFor(resource), spec };
}

/** The awsTags entry that marks an Imply cluster as created for this resource. */
export function ownerTagFor(resource: ImplyCluster): { name: string; value: string } {
  return { name: ownerTagName, value: resource.metadata.uid ?? '' };
}

/** Whether an Imply cluster carries this resource's owner tag. */
export function isOwnedBy(spec: ClusterSpec, resource: ImplyCluster): boolean {
  return resource.metadata.uid !== undefined && (spec.awsTags ?? []).some((t) => t.name === ownerTagName && t.value === resource.metadata.uid);
}
