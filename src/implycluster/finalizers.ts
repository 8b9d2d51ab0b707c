// The finalizer that holds an ImplyCluster until its Imply cluster is deleted or released. Added
// before the first write to the Imply API; removed with an optimistic lock so that a concurrent
// change to the list is never overwritten.
import type { ResourceWriter } from '../kube/custom-resource-client.js';
import { finalizer, type ImplyCluster } from './implycluster-resource.js';

/** Adds and removes this controller's finalizer. */
export class Finalizers {
  readonly #client: ResourceWriter<ImplyCluster>;

  constructor(client: ResourceWriter<ImplyCluster>) {
    this.#client = client;
  }

  /** Whether the resource carries the finalizer. */
  isHeld(resource: ImplyCluster): boolean {
    return (resource.metadata.finalizers ?? []).includes(finalizer);
  }

  /** Adds the finalizer if missing. */
  async ensure(resource: ImplyCluster): Promise<void> {
    if (this.isHeld(resource)) return;
    await this.#set(resource, [...(resource.metadata.finalizers ?? []), finalizer]);
  }

  /** Removes the finalizer, letting Kubernetes finish the deletion. */
  async remove(resource: ImplyCluster): Promise<void> {
    if (!this.isHeld(resource)) return;
    await this.#set(resource, (resource.metadata.finalizers ?? []).filter((f) => f !== finalizer));
  }

  async #set(resource: ImplyCluster, finalizers: string[]): Promise<void> {
    const { namespace = '', name = '', resourceVersion } = resource.metadata;
    const updated = await this.#client.patchMetadata(namespace, name, { finalizers }, resourceVersion);
    resource.metadata.finalizers = finalizers;
    if (updated.metadata?.resourceVersion !== undefined) resource.metadata.resourceVersion = updated.metadata.resourceVersion;
  }
}
