// The ImplyCluster reconciler: re-read the resource, run one observe → plan → act pass (or one
// deletion step) against the account's Manager API, write what it saw to status (only when
// changed), emit transition events, and say when to look again. Decisions live in plan.ts,
// status-for.ts, events-for.ts and write-guard.ts; this file only sequences them.
import type { V1Secret } from '@kubernetes/client-node';
import type { Clock } from '../controller/clock.js';
import type { ReconcileRequest, ReconcileResult, Reconciler } from '../controller/reconciler.js';
import type { ResourceWriter } from '../kube/custom-resource-client.js';
import type { EventRecorder } from '../kube/event-recorder.js';
import type { AccountClients, Lister } from '../implyaccount/account-clients.js';
import type { ManagerApi } from '../manager/manager-api.js';
import { runClusterPass, type PassResult, type SecretValue } from './cluster-pass.js';
import { runDeletionPass } from './deletion-pass.js';
import { eventsFor } from './events-for.js';
import { ReconcileBlockedError } from './failure-from.js';
import { Finalizers } from './finalizers.js';
import { defaultAccountName, type ImplyCluster } from './implycluster-resource.js';
import { pollDelayFor, type PollIntervals } from './poll-delay.js';
import { StatusRecorder } from './status-recorder.js';
import { deletionGuardFor, writeGuardFor } from './write-guard.js';

/** Options of {@link ImplyClusterReconciler}. */
export interface ImplyClusterReconcilerOptions {
  clusters: Lister<ImplyCluster>;
  secrets: Lister<V1Secret>;
  accounts: AccountClients;
  client: ResourceWriter<ImplyCluster>;
  events: EventRecorder;
  clock: Clock;
  polls: PollIntervals;
  /** How long a deletion may be blocked (account, Secret or API gone) before it reports Stalled, in ms; default 600000. */
  deletionTimeoutMs?: number;
  /** Fencing: false when this replica may no longer write to the Imply API (lost leadership). Default always true. */
  mayWrite?: () => boolean;
  /** Source of jitter in [0, 1); default Math.random. */
  random?: () => number;
}

/** Reconciles one ImplyCluster key. */
export class ImplyClusterReconciler implements Reconciler {
  readonly #o: ImplyClusterReconcilerOptions;
  readonly #status: StatusRecorder;
  readonly #finalizers: Finalizers;

  constructor(options: ImplyClusterReconcilerOptions) {
    this.#o = options;
    this.#status = new StatusRecorder(options.client, options.clock);
    this.#finalizers = new Finalizers(options.client);
  }

  async reconcile({ key, signal }: ReconcileRequest): Promise<ReconcileResult> {
    const cached = this.#o.clusters.get(key);
    if (cached === undefined) return {};
    const resource = structuredClone(cached); // the informer's cache is shared: work on a copy
    if (resource.metadata.deletionTimestamp !== undefined) return this.#reconcileDeletion(resource, signal);
    const guard = writeGuardFor(resource, this.#o.mayWrite);
    if (guard.canWrite) await this.#finalizers.ensure(resource);
    const pass = await this.#withApi(resource, (api, password) =>
      runClusterPass({ resource, api, password, canWrite: guard.canWrite, signal, mayWrite: this.#o.mayWrite, recordClusterId: (id) => this.#status.recordClusterId(resource, id) }),
    );
    pass.outcome.failure ??= guard.heldFailure;
    pass.outcome.isPaused = guard.isPaused;
    pass.outcome.isObserveOnly = guard.isObserveOnly;
    return this.#finish(resource, pass);
  }

  async #reconcileDeletion(resource: ImplyCluster, signal: AbortSignal): Promise<ReconcileResult> {
    const guard = deletionGuardFor(resource, this.#o.mayWrite);
    if (!this.#finalizers.isHeld(resource)) return {};
    if (guard.release !== undefined) {
      await this.#o.events.emit(resource, 'Normal', guard.release.reason, guard.release.message);
      await this.#finalizers.remove(resource);
      return {};
    }
    const pass = await this.#withApi(resource, (api) => runDeletionPass({ resource, api, canWrite: guard.canWrite, signal, mayWrite: this.#o.mayWrite }));
    if ('isGone' in pass && pass.isGone === true) {
      await this.#o.events.emit(resource, 'Normal', 'Deleted', 'The Imply cluster is deleted');
      await this.#finalizers.remove(resource);
      return {};
    }
    pass.outcome.isDeleting = true;
    pass.outcome.isPaused = guard.isPaused;
    const blockedMs = this.#o.clock.now() - new Date(resource.metadata.deletionTimestamp as unknown as string | Date).getTime();
    if (pass.outcome.failure !== undefined && blockedMs >= (this.#o.deletionTimeoutMs ?? 600_000)) {
      pass.outcome.failure = {
        reason: 'DeletionBlocked',
        message: `Cannot delete the Imply cluster (${pass.outcome.failure.reason}: ${pass.outcome.failure.message}); fix it, or set annotation cloud.imply.io/release: "true" to release this resource without deleting the Imply cluster`,
        isStalled: true,
      };
    }
    return this.#finish(resource, pass);
  }

  /** Runs `pass` with the account's client and the referenced password; a missing account or Secret becomes a failure. */
  async #withApi<T extends PassResult>(resource: ImplyCluster, pass: (api: ManagerApi, password: SecretValue | undefined) => Promise<T>): Promise<T | PassResult> {
    try {
      const api = this.#o.accounts.apiFor(resource.metadata.namespace ?? '', resource.spec.accountRef?.name ?? defaultAccountName);
      return await pass(api, this.#passwordFor(resource));
    } catch (error) {
      if (!(error instanceof ReconcileBlockedError)) throw error;
      const outcome = { generation: resource.metadata.generation ?? 0, failure: { reason: error.code, message: error.message, isStalled: error.isStalled } };
      return { outcome, retryableError: error };
    }
  }

  async #finish(resource: ImplyCluster, pass: PassResult): Promise<ReconcileResult> {
    const events = eventsFor(resource.status, pass);
    await this.#status.write(resource, pass);
    for (const e of events) await this.#o.events.emit(resource, e.type, e.reason, e.message);
    if (pass.retryableError !== undefined) throw pass.retryableError;
    return { requeueAfterMs: pollDelayFor(resource, pass, this.#o.polls, this.#o.random ?? Math.random) };
  }

  #passwordFor(resource: ImplyCluster): SecretValue | undefined {
    const ref = resource.spec.cluster.metadataStore?.passwordSecretRef;
    if (ref === undefined) return undefined;
    const secret = this.#o.secrets.get(`${resource.metadata.namespace}/${ref.name}`);
    const raw = secret?.data?.[ref.key];
    if (raw === undefined) throw new ReconcileBlockedError('CredentialsNotFound', `Secret ${ref.name} with key ${ref.key} not found`);
    return { value: Buffer.from(raw, 'base64').toString('utf8'), version: `${secret?.metadata?.uid ?? ''}/${secret?.metadata?.resourceVersion ?? ''}` };
  }

}
