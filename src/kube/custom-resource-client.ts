// Reads and writes of one custom resource kind, with the content types and optimistic locking the
// controller needs: status through the status subresource, metadata (annotations, finalizers) by
// merge patch guarded by resourceVersion. The controller never writes to spec.
import { type CustomObjectsApi, type KubeConfig, CustomObjectsApi as Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';

/** A namespaced custom object as the controller sees it. */
export interface CustomObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; generation?: number; annotations?: Record<string, string>; finalizers?: string[] };
  status?: object;
}

/** Identifies one custom resource kind. */
export interface ResourceKind {
  group: string;
  version: string;
  plural: string;
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** The reads and writes a reconciler makes of its own kind (CustomResourceClient; fakes in unit tests). */
export interface ResourceWriter<T extends CustomObject> {
  /** The object, or undefined when it does not exist. */
  get(namespace: string, name: string): Promise<T | undefined>;
  /** Merge-patches the status subresource, guarded by `resourceVersion` when given. */
  patchStatus(namespace: string, name: string, status: object, resourceVersion?: string): Promise<T>;
  /** Merge-patches metadata, guarded by `resourceVersion` when given. */
  patchMetadata(namespace: string, name: string, metadata: object, resourceVersion: string | undefined): Promise<T>;
}

/** Typed access to one kind of custom object. */
export class CustomResourceClient<T extends CustomObject> implements ResourceWriter<T> {
  readonly #api: CustomObjectsApi;
  readonly #kind: ResourceKind;

  constructor(kubeConfig: KubeConfig, kind: ResourceKind) {
    this.#api = kubeConfig.makeApiClient(Api);
    this.#kind = kind;
  }

  /** The object, or undefined when it does not exist. */
  async get(namespace: string, name: string): Promise<T | undefined> {
    try {
      return (await this.#api.getNamespacedCustomObject({ ...this.#kind, namespace, name })) as T;
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Merge-patches the status subresource; `resourceVersion` makes it fail with 409 if the object moved on. */
  async patchStatus(namespace: string, name: string, status: object, resourceVersion?: string): Promise<T> {
    const body = { metadata: resourceVersion === undefined ? {} : { resourceVersion }, status };
    return (await this.#api.patchNamespacedCustomObjectStatus({ ...this.#kind, namespace, name, body }, mergePatch)) as T;
  }

  /** Merge-patches metadata (annotations, finalizers), guarded by `resourceVersion`. */
  async patchMetadata(namespace: string, name: string, metadata: object, resourceVersion: string | undefined): Promise<T> {
    const body = { metadata: { ...metadata, ...(resourceVersion === undefined ? {} : { resourceVersion }) } };
    return (await this.#api.patchNamespacedCustomObject({ ...this.#kind, namespace, name, body }, mergePatch)) as T;
  }
}

/** The HTTP status of a client-node error, if any. */
export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}
