// The ImplyCluster reconciler: re-read the resource, run one observe → plan → act pass against the
// account's Manager API, write what it saw to status (only when changed), emit transition events,
// and say when to look again. Decisions live in plan.ts, status-for.ts and events-for.ts.
import { isDeepStrictEqual } from 'node:util';
import type { V1Secret } from '@kubernetes/client-node';
import type { Clock } from '../controller/clock.js';
import type { ReconcileRequest, ReconcileResult, Reconciler } from '../controller/reconciler.js';
import { mergeConditions, rfc3339 } from '../kube/conditions.js';
import type { ResourceWriter } from '../kube/custom-resource-client.js';
import type { EventRecorder } from '../kube/event-recorder.js';
import { writeStatus } from '../kube/status-writer.js';
import type { AccountClients, Lister } from '../implyaccount/account-clients.js';
import { transitionalStates } from '../schema/index.js';
import { runClusterPass, type PassResult } from './cluster-pass.js';
import { clusterStatusFrom } from './cluster-status-from.js';
import { eventsFor } from './events-for.js';
import { ReconcileBlockedError } from './failure-from.js';
import { clusterIdAnnotation, defaultAccountName, type ImplyCluster, type ImplyClusterStatus } from './implycluster-resource.js';
import { pollDelayFor, type PollIntervals } from './poll-delay.js';
import { statusFor } from './status-for.js';
import { writeGuardFor } from './write-guard.js';

/** Options of {@link ImplyClusterReconciler}. */
export interface ImplyClusterReconcilerOptions {
  clusters: Lister<ImplyCluster>;
  secrets: Lister<V1Secret>;
  accounts: AccountClients;
  client: ResourceWriter<ImplyCluster>;
  events: EventRecorder;
  clock: Clock;
  polls: PollIntervals;
  /** Source of jitter in [0, 1); default Math.random. */
  random?: () => number;
}

/** Reconciles one ImplyCluster key. */
export class ImplyClusterReconciler implements Reconciler {
  readonly #o: ImplyClusterReconcilerOptions;

  constructor(options: ImplyClusterReconcilerOptions) {
    this.#o = options;
  }

  async reconcile({ key, signal }: ReconcileRequest): Promise<ReconcileResult> {
    const cached = this.#o.clusters.get(key);
    if (cached === undefined || cached.metadata.deletionTimestamp !== undefined) return {};
    // The informer's cache is shared: work on a copy.
    const resource = structuredClone(cached);
    const guard = writeGuardFor(resource);
    const pass = await this.#pass(resource, guard.canWrite, signal);
    if (guard.heldFailure !== undefined && pass.outcome.failure === undefined) pass.outcome.failure = guard.heldFailure;
    if (guard.isPaused) pass.outcome.isPaused = true;
    await this.#writeStatus(resource, pass);
    for (const e of eventsFor(resource.status, pass)) await this.#o.events.emit(resource, e.type, e.reason, e.message);
    if (pass.retryableError !== undefined) throw pass.retryableError;
    return { requeueAfterMs: pollDelayFor(resource, pass, this.#o.polls, this.#o.random ?? Math.random) };
  }

  async #pass(resource: ImplyCluster, canWrite: boolean, signal: AbortSignal): Promise<PassResult> {
    const namespace = resource.metadata.namespace ?? '';
    try {
      const api = this.#o.accounts.apiFor(namespace, resource.spec.accountRef?.name ?? defaultAccountName);
      const password = this.#passwordFor(resource);
      const recordClusterId = (id: string) => this.#recordClusterId(resource, id);
      return await runClusterPass({ resource, api, password, canWrite, signal, recordClusterId });
    } catch (error) {
      if (!(error instanceof ReconcileBlockedError)) throw error;
      const generation = resource.metadata.generation ?? 0;
      return { outcome: { generation, failure: { reason: error.code, message: error.message, isStalled: error.isStalled } }, retryableError: error };
    }
  }

  #passwordFor(resource: ImplyCluster): string | undefined {
    const ref = resource.spec.cluster.metadataStore?.passwordSecretRef;
    if (ref === undefined) return undefined;
    const secret = this.#o.secrets.get(`${resource.metadata.namespace}/${ref.name}`);
    const raw = secret?.data?.[ref.key];
    if (raw === undefined) throw new ReconcileBlockedError('CredentialsNotFound', `Secret ${ref.name} with key ${ref.key} not found`);
    return Buffer.from(raw, 'base64').toString('utf8');
  }

  async #recordClusterId(resource: ImplyCluster, clusterId: string): Promise<void> {
    const { namespace = '', name = '' } = resource.metadata;
    await this.#o.client.patchStatus(namespace, name, { clusterId });
    if (resource.metadata.annotations?.[clusterIdAnnotation] !== clusterId) {
      await this.#o.client.patchMetadata(namespace, name, { annotations: { [clusterIdAnnotation]: clusterId } }, undefined);
    }
    resource.status = { ...resource.status, clusterId };
  }

  async #writeStatus(resource: ImplyCluster, pass: PassResult): Promise<void> {
    const previous = resource.status ?? {};
    const generation = resource.metadata.generation ?? 0;
    const now = new Date(this.#o.clock.now());
    const applied = pass.sent !== undefined || pass.outcome.plan === 'none' ? generation : undefined;
    const next: ImplyClusterStatus = {
      ...clusterStatusFrom({ previous, cluster: pass.outcome.cluster, servers: pass.servers, appliedGeneration: applied, drift: pass.drift, now: rfc3339(now) }),
      observedGeneration: generation,
      conditions: mergeConditions(previous.conditions, statusFor(pass.outcome), now),
    };
    const { lastSyncTime: _ignored, ...comparable } = previous;
    if (isDeepStrictEqual(JSON.parse(JSON.stringify(comparable)), JSON.parse(JSON.stringify(next)))) return;
    next.lastSyncTime = rfc3339(now);
    await writeStatus(this.#o.client, resource, previous, next);
  }
}

/** Whether the Imply cluster is moving on its own. */
export function isTransitional(pass: PassResult): boolean {
  const state = pass.outcome.cluster?.status.state;
  return state !== undefined && transitionalStates.includes(state);
}
