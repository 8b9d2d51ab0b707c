// Finding the Imply cluster of a resource: by recorded id, else by owner tag, else by name. The
// lookup by tag and name before any create is what makes a crash between create and recording
// the id harmless: the next reconcile finds the cluster instead of creating a second one.
import type { ManagerApi } from '../manager/manager-api.js';
import type { ObservedCluster } from '../schema/index.js';
import { isOwnedBy } from './desired-cluster-from.js';
import { ReconcileBlockedError } from './failure-from.js';
import type { ImplyCluster } from './implycluster-resource.js';

/** What observing found. */
export type Observation =
  /** The cluster, found by id, owner tag or name. */
  | { kind: 'found'; cluster: ObservedCluster }
  /** No cluster of this resource exists: create one. */
  | { kind: 'absent' }
  /** The recorded id no longer exists: report it, never re-create silently. */
  | { kind: 'gone'; clusterId: string };

/** Observes the Imply cluster of `resource`. Throws ReconcileBlockedError(Conflict) for a name held by another. */
export async function observeCluster(api: ManagerApi, resource: ImplyCluster, recordedId: string | undefined, name: string, signal: AbortSignal): Promise<Observation> {
  if (recordedId !== undefined) {
    const cluster = await api.getCluster(recordedId, { signal });
    return cluster === undefined ? { kind: 'gone', clusterId: recordedId } : { kind: 'found', cluster };
  }
  const clusters = await api.listClusters({ signal });
  const owned = clusters.find((c) => isOwnedBy(c.spec, resource));
  if (owned !== undefined) return { kind: 'found', cluster: owned };
  const sameName = clusters.find((c) => c.metadata.name === name);
  if (sameName !== undefined) {
    throw new ReconcileBlockedError('Conflict', `Imply cluster name ${name} is taken by a cluster this resource does not own`, true);
  }
  return { kind: 'absent' };
}
