// The ImplyAccount reconciler: checks the account's credentials with one cheap authenticated call
// and reports the result as the Ready condition. Clusters of the account share its client.
import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../controller/clock.js';
import type { ReconcileRequest, ReconcileResult, Reconciler } from '../controller/reconciler.js';
import { mergeConditions, type ConditionUpdate } from '../kube/conditions.js';
import type { ResourceWriter } from '../kube/custom-resource-client.js';
import type { EventRecorder } from '../kube/event-recorder.js';
import { findCondition } from '../kube/conditions.js';
import { writeStatus } from '../kube/status-writer.js';
import { failureFrom } from '../implycluster/failure-from.js';
import { parseKey } from '../kube/object-key.js';
import type { AccountClients, Lister } from './account-clients.js';
import type { ImplyAccount, ImplyAccountStatus } from './implyaccount-resource.js';

/** A cluster id no cluster has: a GET of it proves the credentials and costs the API nothing. */
const probeClusterId = '00000000-0000-0000-0000-000000000000';

/** Options of {@link ImplyAccountReconciler}. */
export interface ImplyAccountReconcilerOptions {
  accounts: Lister<ImplyAccount>;
  clients: AccountClients;
  client: ResourceWriter<ImplyAccount>;
  events: EventRecorder;
  clock: Clock;
  /** How often to re-check valid credentials, in ms; default 300000. */
  recheckMs?: number;
}

/** Reconciles one ImplyAccount key. */
export class ImplyAccountReconciler implements Reconciler {
  readonly #o: ImplyAccountReconcilerOptions;

  constructor(options: ImplyAccountReconcilerOptions) {
    this.#o = options;
  }

  async reconcile({ key, signal }: ReconcileRequest): Promise<ReconcileResult> {
    const { namespace, name } = parseKey(key);
    const account = this.#o.accounts.get(key);
    if (account === undefined) {
      this.#o.clients.forget(namespace, name);
      return {};
    }
    let ready: Omit<ConditionUpdate, 'type' | 'observedGeneration'>;
    let retryable: unknown;
    try {
      await this.#o.clients.apiFor(namespace, name).getCluster(probeClusterId, { signal });
      ready = { status: 'True', reason: 'CredentialsValid', message: 'Credentials accepted by the Imply API' };
    } catch (error) {
      const failure = failureFrom(error);
      if (failure.reason === 'ReconcileError') throw error;
      ready = { status: 'False', reason: failure.reason, message: failure.message };
      retryable = failure.reason === 'ApiUnavailable' ? error : undefined;
    }
    await this.#writeReady(account, ready);
    if (retryable !== undefined) throw retryable;
    return { requeueAfterMs: this.#o.recheckMs ?? 300_000 };
  }

  async #writeReady(account: ImplyAccount, ready: Omit<ConditionUpdate, 'type' | 'observedGeneration'>): Promise<void> {
    const previous: ImplyAccountStatus = account.status ?? {};
    const generation = account.metadata.generation ?? 0;
    const now = new Date(this.#o.clock.now());
    const next: ImplyAccountStatus = {
      observedGeneration: generation,
      conditions: mergeConditions(previous.conditions, [{ type: 'Ready', observedGeneration: generation, ...ready }], now),
    };
    if (isDeepStrictEqual(JSON.parse(JSON.stringify(previous)), next)) return;
    if (findCondition(previous.conditions, 'Ready')?.reason !== ready.reason) {
      await this.#o.events.emit(account, ready.status === 'True' ? 'Normal' : 'Warning', ready.reason, ready.message);
    }
    await writeStatus(this.#o.client, account, previous, next);
  }
}
