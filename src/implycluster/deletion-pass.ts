// Deleting an ImplyCluster with deletionPolicy Delete: stop the Imply cluster if it runs, delete it,
// wait until it is gone. Each pass makes at most one write and never deletes a cluster it cannot
// prove is this resource's (recorded id or owner tag; never by name alone).
import type { ManagerApi } from '../manager/manager-api.js';
import { StateConflictError } from '../manager/errors.js';
import { transitionalStates, type ObservedCluster } from '../schema/index.js';
import { isOwnedBy } from './desired-cluster-from.js';
import { failureFrom } from './failure-from.js';
import { clusterIdAnnotation, type ImplyCluster } from './implycluster-resource.js';
import type { PassResult } from './cluster-pass.js';

/** What a deletion pass concluded. */
export interface DeletionResult extends PassResult {
  /** The Imply cluster is gone: the finalizer may be removed. */
  isGone: boolean;
}

/** Inputs of one deletion pass. */
export interface DeletionInput {
  resource: ImplyCluster;
  api: ManagerApi;
  canWrite: boolean;
  signal: AbortSignal;
  /** Fencing, asked right before each write: false when this replica lost leadership. */
  mayWrite?: (() => boolean) | undefined;
}

/** Moves the Imply cluster one step towards gone. */
export async function runDeletionPass({ resource, api, canWrite, signal, mayWrite }: DeletionInput): Promise<DeletionResult> {
  const generation = resource.metadata.generation ?? 0;
  const result: DeletionResult = { outcome: { generation, isDeleting: true }, isGone: false };
  try {
    const cluster = await findOwnCluster(api, resource, signal);
    if (cluster === undefined) return { ...result, isGone: true };
    result.outcome.cluster = cluster;
    const state = cluster.status.state;
    if (!canWrite || transitionalStates.includes(state) || !(mayWrite?.() ?? true)) return result;
    if (state === 'STOPPED' || state === 'FAILED') {
      result.outcome.cluster = (await api.deleteCluster(cluster.metadata.uid, { signal })) ?? cluster;
      result.sent = 'delete';
    } else {
      result.outcome.cluster = await api.updateCluster(cluster.metadata.uid, { spec: { desiredState: 'STOPPED' } }, { signal });
      result.sent = 'stop';
    }
  } catch (error) {
    if (error instanceof StateConflictError) {
      result.outcome.isBusy = true;
    } else {
      result.outcome.failure = failureFrom(error);
      result.retryableError = error;
    }
  }
  return result;
}

async function findOwnCluster(api: ManagerApi, resource: ImplyCluster, signal: AbortSignal): Promise<ObservedCluster | undefined> {
  const recordedId = resource.status?.clusterId ?? resource.metadata.annotations?.[clusterIdAnnotation];
  if (recordedId !== undefined) return api.getCluster(recordedId, { signal });
  return (await api.listClusters({ signal })).find((c) => isOwnedBy(c.spec, resource));
}
