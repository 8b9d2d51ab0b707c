// Status writes through the status subresource: a merge patch of what changed, guarded by the
// resourceVersion the reconcile read. A 409 means the object moved on: re-read and retry silently.
import { mergePatchBetween } from './merge-patch-between.js';
import { statusCodeOf, type CustomObject, type ResourceWriter } from './custom-resource-client.js';

const maxAttempts = 3;

/** Writes `next` as the status of `resource`, whose status was `previous` when read. */
export async function writeStatus<T extends CustomObject>(client: ResourceWriter<T>, resource: T, previous: object, next: object): Promise<void> {
  const { namespace = '', name = '' } = resource.metadata ?? {};
  let base = previous;
  let resourceVersion = resource.metadata?.resourceVersion;
  for (let attempt = 1; ; attempt++) {
    const patch = mergePatchBetween(base as Record<string, unknown>, next as Record<string, unknown>);
    if (Object.keys(patch).length === 0) return;
    try {
      await client.patchStatus(namespace, name, patch, resourceVersion);
      return;
    } catch (error) {
      if (statusCodeOf(error) !== 409 || attempt >= maxAttempts) throw error;
      const fresh = await client.get(namespace, name);
      if (fresh === undefined) return;
      base = fresh.status ?? {};
      resourceVersion = fresh.metadata?.resourceVersion;
    }
  }
}
