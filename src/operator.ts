// Composition root of the controller: builds the informers, the per-account clients, the two
// reconcilers and their controllers, and wires watch events to work-queue keys.
import { CoreV1Api, CustomObjectsApi, type KubeConfig, type KubernetesListObject, type V1Secret } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { SystemClock, type Clock } from './controller/clock.js';
import { Controller } from './controller/controller.js';
import { defaultRateLimiter } from './controller/rate-limiter.js';
import { AccountClients } from './implyaccount/account-clients.js';
import { ImplyAccountReconciler } from './implyaccount/implyaccount-reconciler.js';
import type { ImplyAccount } from './implyaccount/implyaccount-resource.js';
import { ImplyClusterReconciler } from './implycluster/implycluster-reconciler.js';
import {
  defaultAccountName,
  group,
  implyAccountKind,
  implyAccountPlural,
  implyClusterPlural,
  version,
  type ImplyCluster,
} from './implycluster/implycluster-resource.js';
import { defaultPollIntervals, type PollIntervals } from './implycluster/poll-delay.js';
import { CustomResourceClient } from './kube/custom-resource-client.js';
import { KubeEventRecorder } from './kube/event-recorder.js';
import { informerFactoryFor, InformerSource, specOrMetadataChanged } from './kube/informer-source.js';
import { keyOf } from './kube/object-key.js';
import type { OnRequest } from './manager/request-observation.js';
import { conditionCountsFor } from './metrics/condition-counts.js';
import type { OperatorMetrics } from './metrics/operator-metrics.js';

/** Options of {@link startOperator}. */
export interface OperatorOptions {
  kubeConfig: KubeConfig;
  log: Logger;
  /** Watch only this namespace; default all namespaces. */
  watchNamespace?: string | undefined;
  /** Label selector: reconcile only the ImplyClusters it matches (sharding across deployments); default all. */
  shardSelector?: string | undefined;
  /** Concurrent ImplyCluster reconciles; default 4. */
  concurrency?: number;
  polls?: Partial<PollIntervals>;
  /** Per-key retry backoff after errors: first delay and cap, in ms; defaults 1000 and 300000. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** How long a blocked deletion waits before reporting Stalled, in ms; default 600000. */
  deletionTimeoutMs?: number;
  /** Manager API metrics hook. */
  onRequest?: OnRequest;
  /** Prometheus metrics of the controllers, queues and resources; default none. */
  metrics?: OperatorMetrics;
  /** Fencing: false once this replica may no longer write to the Imply API (lost leadership). */
  mayWrite?: () => boolean;
  clock?: Clock;
}

/** A running operator. */
export interface Operator {
  /** True once every informer has listed. */
  hasSynced(): boolean;
  /** Age of the most recent watch activity across informers, in ms. */
  lastEventAgeMs(): number;
  /** Stops intake, finishes in-flight reconciles within `timeoutMs`, stops the watches. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

type Routed = `cluster:${string}` | `account:${string}`;

/** Starts watching and reconciling ImplyClusters and ImplyAccounts. */
export async function startOperator(options: OperatorOptions): Promise<Operator> {
  const { kubeConfig, log } = options;
  const clock = options.clock ?? new SystemClock();
  const polls = { ...defaultPollIntervals, ...options.polls };
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const ns = options.watchNamespace;
  const pathOf = (plural: string) => `/apis/${group}/${version}${ns ? `/namespaces/${ns}` : ''}/${plural}`;
  const listCustom = <T>(plural: string, labelSelector?: string) => async () => {
    const selector = labelSelector === undefined ? {} : { labelSelector };
    return (ns
      ? await custom.listNamespacedCustomObject({ group, version, plural, namespace: ns, ...selector })
      : await custom.listClusterCustomObject({ group, version, plural, ...selector })) as KubernetesListObject<T & { metadata: object }>;
  };
  const shard = options.shardSelector === undefined || options.shardSelector === '' ? {} : { labelSelector: options.shardSelector };

  let route: (key: Routed) => void = () => {};
  const onKey = (key: string) => route(key as Routed);
  const clusters: InformerSource<ImplyCluster> = new InformerSource<ImplyCluster>({
    name: 'implyclusters',
    informerFactory: informerFactoryFor({ kubeConfig, path: pathOf(implyClusterPlural), listFn: listCustom<ImplyCluster>(implyClusterPlural, shard.labelSelector), ...shard }),
    keysFor: (c) => [`cluster:${keyOf(c)}`],
    updatePredicate: specOrMetadataChanged,
    onKey,
    logger: log,
    clock,
  });
  const clustersOfAccount = (namespace: string, account: string): Routed[] =>
    clusters.list(namespace).filter((c) => (c.spec.accountRef?.name ?? defaultAccountName) === account).map((c) => `cluster:${keyOf(c)}` as const);
  const accounts: InformerSource<ImplyAccount> = new InformerSource<ImplyAccount>({
    name: 'implyaccounts',
    informerFactory: informerFactoryFor({ kubeConfig, path: pathOf(implyAccountPlural), listFn: listCustom<ImplyAccount>(implyAccountPlural) }),
    keysFor: (a) => [`account:${keyOf(a)}`, ...clustersOfAccount(a.metadata.namespace ?? '', a.metadata.name ?? '')],
    updatePredicate: specOrMetadataChanged,
    onKey,
    logger: log,
    clock,
  });
  const secrets = new InformerSource<V1Secret>({
    name: 'secrets',
    informerFactory: informerFactoryFor({
      kubeConfig,
      path: ns ? `/api/v1/namespaces/${ns}/secrets` : '/api/v1/secrets',
      listFn: () => (ns ? core.listNamespacedSecret({ namespace: ns }) : core.listSecretForAllNamespaces()),
    }),
    keysFor: (s) => keysReferencing(s),
    onKey,
    logger: log,
    clock,
  });
  const keysReferencing = (secret: V1Secret): Routed[] => {
    const namespace = secret.metadata?.namespace ?? '';
    const name = secret.metadata?.name;
    const owners = accounts.list(namespace).filter((a) => a.spec.credentialsSecretRef.name === name);
    const users = clusters.list(namespace).filter((c) => c.spec.cluster.metadataStore?.passwordSecretRef?.name === name);
    return [
      ...owners.flatMap((a) => [`account:${keyOf(a)}` as const, ...clustersOfAccount(namespace, a.metadata.name ?? '')]),
      ...users.map((c) => `cluster:${keyOf(c)}` as const),
    ];
  };

  const clients = new AccountClients({ accounts, secrets, ...(options.onRequest ? { onRequest: options.onRequest } : {}) });
  const events = new KubeEventRecorder(kubeConfig, { log });
  const rateLimiter = () => defaultRateLimiter({ baseDelayMs: options.backoff?.baseMs ?? 1000, maxDelayMs: options.backoff?.maxMs ?? 300_000, clock, jitterFactor: 0.1 });
  const m = options.metrics;
  const concurrency = options.concurrency ?? 4;
  const metricsFor = (name: string, workers: number) => (m ? { metrics: m.controller(name, { maxConcurrentReconciles: workers }), queueMetrics: m.workQueue(name) } : {});
  const clusterController = new Controller({
    name: 'implycluster',
    logger: log,
    clock,
    concurrency,
    ...metricsFor('implycluster', concurrency),
    rateLimiter: rateLimiter(),
    reconciler: new ImplyClusterReconciler({
      clusters,
      secrets,
      accounts: clients,
      client: new CustomResourceClient<ImplyCluster>(kubeConfig, { group, version, plural: implyClusterPlural }),
      events,
      clock,
      polls,
      ...(options.deletionTimeoutMs === undefined ? {} : { deletionTimeoutMs: options.deletionTimeoutMs }),
      ...(options.mayWrite ? { mayWrite: options.mayWrite } : {}),
    }),
  });
  const accountController = new Controller({
    name: implyAccountKind.toLowerCase(),
    logger: log,
    clock,
    concurrency: 2,
    ...metricsFor('implyaccount', 2),
    rateLimiter: rateLimiter(),
    reconciler: new ImplyAccountReconciler({
      accounts,
      clients,
      client: new CustomResourceClient<ImplyAccount>(kubeConfig, { group, version, plural: implyAccountPlural }),
      events,
      clock,
      recheckMs: polls.slowMs,
    }),
  });
  route = (key) => {
    if (key.startsWith('cluster:')) clusterController.enqueue(key.slice('cluster:'.length));
    else accountController.enqueue(key.slice('account:'.length));
  };
  m?.setCountsByCondition(() => [...conditionCountsFor('ImplyCluster', clusters.list()), ...conditionCountsFor('ImplyAccount', accounts.list())]);
  // Caches first, so the first reconciles see accounts and secrets; then the workers.
  await Promise.all([secrets.start(), accounts.start(), clusters.start()]);
  clusterController.start();
  accountController.start();
  const sources = [clusters, accounts, secrets];
  return {
    hasSynced: () => sources.every((s) => s.hasSynced()),
    lastEventAgeMs: () => Math.min(...sources.map((s) => s.lastEventAgeMs())),
    async stop({ timeoutMs = 30_000 } = {}) {
      await Promise.all([clusterController.stop({ timeoutMs }), accountController.stop({ timeoutMs })]);
      await Promise.all(sources.map((s) => s.stop()));
    },
  };
}
