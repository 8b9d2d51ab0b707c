// One pass of the ImplyCluster reconciler against the Manager API: observe → plan → act. It gathers
// facts for the status and never touches Kubernetes except through the `recordClusterId` callback.
import type { ManagerApi } from '../manager/manager-api.js';
import { StateConflictError } from '../manager/errors.js';
import type { ObservedCluster, Server } from '../schema/index.js';
import { transitionalStates } from '../schema/index.js';
import { desiredClusterFrom } from './desired-cluster-from.js';
import { failureFrom } from './failure-from.js';
import { clusterIdAnnotation, type ImplyCluster } from './implycluster-resource.js';
import { observeCluster } from './observe-cluster.js';
import { driftFrom, planChanges, type Plan } from './plan.js';
import type { Difference } from './spec-diff.js';
import type { Failure, Outcome } from './status-for.js';

/** What one pass saw and did. */
export interface PassResult {
  outcome: Outcome;
  servers?: Server[];
  /** The write this pass sent, if any. */
  sent?: Plan['kind'] | 'delete';
  drift?: Difference[];
  /** The error to hand to the work queue's backoff, if the failure is worth retrying. */
  retryableError?: unknown;
  /** Version of the password Secret whose value this pass sent. */
  sentPasswordVersion?: string;
  /** Retry-After of a 409, in ms. */
  busyRetryAfterMs?: number;
}

/** A value read from a Secret, with `<uid>/<resourceVersion>` of the Secret it came from. */
export interface SecretValue {
  value: string;
  version: string;
}

/** Inputs of one pass. */
export interface PassInput {
  resource: ImplyCluster;
  api: ManagerApi;
  /** The referenced metadata store password and the Secret version it came from, if any. */
  password: SecretValue | undefined;
  /** False for ObserveOnly, paused, or a generation the API already rejected. */
  canWrite: boolean;
  signal: AbortSignal;
  /** Fencing, asked right before each write: false when this replica lost leadership. */
  mayWrite?: (() => boolean) | undefined;
  /** Records the id right after create, before anything else can fail. */
  recordClusterId(clusterId: string): Promise<void>;
}

/** Runs observe → plan → act once; every error is turned into facts for the status. */
export async function runClusterPass(input: PassInput): Promise<PassResult> {
  const { resource, api, signal } = input;
  const generation = resource.metadata.generation ?? 0;
  const result: PassResult = { outcome: { generation } };
  try {
    const desired = desiredClusterFrom(resource, input.password?.value);
    // The API never returns the password: it is resent only when its Secret changed since last sent.
    const passwordChanged = input.password !== undefined && input.password.version !== resource.status?.passwordSecretVersion;
    const recordedId = resource.status?.clusterId ?? resource.metadata.annotations?.[clusterIdAnnotation];
    const observation = await observeCluster(api, resource, recordedId, desired.name, signal);
    if (observation.kind === 'gone') {
      result.outcome.isNotFound = true;
      return result;
    }
    let cluster = observation.kind === 'found' ? observation.cluster : undefined;
    // Also when only the annotation is missing: a crash between the status patch and the annotation
    // patch of recordClusterId must not leave the id recorded in status alone for good.
    const isRecorded = recordedId !== undefined && resource.metadata.annotations?.[clusterIdAnnotation] !== undefined;
    if (cluster !== undefined && !isRecorded) await input.recordClusterId(cluster.metadata.uid);
    let plan = planChanges({ name: desired.name, desired: desired.spec, observed: cluster, passwordChanged });
    // Known before acting, so a refused write (409, 400) still reports what was observed.
    result.outcome.cluster = cluster;
    result.outcome.plan = plan.kind;
    if (input.canWrite && plan.kind !== 'none' && plan.kind !== 'wait' && (input.mayWrite?.() ?? true)) {
      const drift = plan.kind !== 'create' && resource.status?.appliedGeneration === generation ? driftFrom(plan.differences) : undefined;
      cluster = await act(api, plan, cluster, signal);
      if (drift !== undefined) result.drift = drift; // corrected only once the write is accepted
      if (plan.kind === 'create') await input.recordClusterId(cluster.metadata.uid);
      result.sent = plan.kind;
      if (input.password !== undefined) result.sentPasswordVersion = input.password.version;
      plan = planChanges({ name: desired.name, desired: desired.spec, observed: cluster });
    }
    result.outcome.cluster = cluster;
    result.outcome.plan = plan.kind;
    if (cluster !== undefined && needsServers(resource, cluster)) result.servers = await api.listServers(cluster.metadata.uid, { signal });
  } catch (error) {
    if (error instanceof StateConflictError) {
      result.outcome.isBusy = true;
      if (error.retryAfterMs !== undefined) result.busyRetryAfterMs = error.retryAfterMs;
    } else {
      result.outcome.failure = failureFrom(error);
      if (isRetryable(result.outcome.failure)) result.retryableError = error;
    }
  }
  return result;
}

async function act(api: ManagerApi, plan: Plan, observed: ObservedCluster | undefined, signal: AbortSignal): Promise<ObservedCluster> {
  if (plan.kind === 'create') return api.createCluster(plan.cluster, { signal });
  if (observed === undefined || !('patch' in plan)) throw new Error(`cannot act on plan ${plan.kind} without a cluster`);
  return api.updateCluster(observed.metadata.uid, plan.patch, { signal });
}

/** Servers change only while the cluster moves: list them then, or when the summary is missing or stale. */
function needsServers(resource: ImplyCluster, cluster: ObservedCluster): boolean {
  const previous = resource.status;
  return (
    previous?.servers === undefined ||
    transitionalStates.includes(cluster.status.state) ||
    previous.state !== cluster.status.state ||
    previous.resourceVersion !== cluster.status.resourceVersion
  );
}

/** Failures that a later retry can cure without the user: everything but a rejected spec or a name held by another. */
function isRetryable(failure: Failure): boolean {
  return failure.reason !== 'BadArgument' && !(failure.reason === 'Conflict' && failure.isStalled);
}
