// Prometheus metrics of the operator in a registry of its own. Names follow controller-runtime and
// client-go's work queue where the meaning is the same, so existing dashboards and alerts apply;
// the factories return the callback objects Controller, WorkQueue, LeaderElector and the Manager
// API client already accept, so wiring is one line each.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ControllerMetrics } from '../controller/controller.js';
import type { LeaderElectionMetrics } from '../controller/leader-election.js';
import type { WorkQueueMetrics } from '../controller/work-queue.js';
import type { OnRequest } from '../manager/request-observation.js';
import type { ConditionCount } from './condition-counts.js';

/** controller-runtime's buckets of controller_runtime_reconcile_time_seconds. */
export const reconcileTimeBuckets: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4,
  4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
/** client-go's work-queue buckets: 10 ns to 1000 s, factor 10. */
export const queueDurationBuckets: readonly number[] = Array.from({ length: 12 }, (_, i) => Number((1e-8 * 10 ** i).toPrecision(1)));
/** Buckets of imply_api_request_duration_seconds: 5 ms to 60 s (requests time out well before). */
export const apiRequestBuckets: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Options of OperatorMetrics. */
export interface OperatorMetricsOptions {
  /** Resource counts for imply_resources, called on every scrape. Default none (see setCountsByCondition). */
  countsByCondition?: () => Iterable<ConditionCount>;
  /** Also collect Node's process_* and nodejs_* metrics into the registry. Default true. */
  collectProcessMetrics?: boolean;
}

/** Options of OperatorMetrics.controller. */
export interface ControllerMetricsOptions {
  /** The controller's worker count, exported as controller_runtime_max_concurrent_reconciles. */
  maxConcurrentReconciles: number;
}

/** The operator's metrics; `registry.metrics()` renders them (HealthServer serves them on /metrics). */
export class OperatorMetrics {
  /** The registry holding every metric below; not prom-client's global registry. */
  readonly registry = new Registry();
  readonly #reconcileTotal = this.#counter('controller_runtime_reconcile_total', 'Total number of reconciliations per controller', ['controller', 'result']);
  readonly #reconcileErrors = this.#counter('controller_runtime_reconcile_errors_total', 'Total number of reconciliation errors per controller', ['controller']);
  readonly #terminalErrors = this.#counter(
    'controller_runtime_terminal_reconcile_errors_total',
    'Total number of terminal reconciliation errors per controller',
    ['controller'],
  );
  readonly #reconcileTime = this.#histogram('controller_runtime_reconcile_time_seconds', 'Length of time per reconciliation per controller', ['controller'], reconcileTimeBuckets);
  readonly #activeWorkers = this.#gauge('controller_runtime_active_workers', 'Number of currently used workers per controller', ['controller']);
  readonly #maxConcurrent = this.#gauge('controller_runtime_max_concurrent_reconciles', 'Maximum number of concurrent reconciles per controller', ['controller']);
  readonly #depth = this.#gauge('workqueue_depth', 'Current depth of workqueue', ['name']);
  readonly #adds = this.#counter('workqueue_adds_total', 'Total number of adds handled by workqueue', ['name']);
  readonly #retries = this.#counter('workqueue_retries_total', 'Total number of retries handled by workqueue', ['name']);
  readonly #queueDuration = this.#histogram('workqueue_queue_duration_seconds', 'How long in seconds an item stays in workqueue before being requested', ['name'], queueDurationBuckets);
  readonly #workDuration = this.#histogram('workqueue_work_duration_seconds', 'How long in seconds processing an item from workqueue takes', ['name'], queueDurationBuckets);
  readonly #leading = this.#gauge('leader_election_master_status', 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master', ['name']);
  readonly #apiRequests = this.#counter('imply_api_requests_total', 'Imply Manager API HTTP attempts by account, operation and status code (or network, timeout)', ['account', 'operation', 'code']);
  readonly #apiDuration = this.#histogram('imply_api_request_duration_seconds', 'Duration of Imply Manager API HTTP attempts', ['account', 'operation'], apiRequestBuckets);
  #countsByCondition: () => Iterable<ConditionCount>;

  constructor(options: OperatorMetricsOptions = {}) {
    this.#countsByCondition = options.countsByCondition ?? (() => []);
    const counts = (): Iterable<ConditionCount> => this.#countsByCondition();
    new Gauge({
      name: 'imply_resources',
      help: 'Number of resources by kind and condition status, from the informer caches at scrape time',
      labelNames: ['kind', 'condition', 'status'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { kind, condition, status, count } of counts()) this.set({ kind, condition, status }, count);
      },
    });
    if (options.collectProcessMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Replaces the imply_resources source; for callers that build their caches after the metrics. */
  setCountsByCondition(countsByCondition: () => Iterable<ConditionCount>): void {
    this.#countsByCondition = countsByCondition;
  }

  /** Callbacks for Controller's `metrics` option, labelled `controller=name`. */
  controller(name: string, options: ControllerMetricsOptions): ControllerMetrics {
    const labels = { controller: name };
    this.#maxConcurrent.set(labels, options.maxConcurrentReconciles);
    this.#activeWorkers.set(labels, 0);
    this.#reconcileErrors.inc(labels, 0);
    this.#terminalErrors.inc(labels, 0);
    return {
      reconcileTotal: (result) => this.#reconcileTotal.inc({ controller: name, result }),
      reconcileError: () => this.#reconcileErrors.inc(labels),
      terminalReconcileError: () => this.#terminalErrors.inc(labels),
      reconcileTimeMs: (ms) => this.#reconcileTime.observe(labels, ms / 1000),
      activeWorkers: (count) => this.#activeWorkers.set(labels, count),
    };
  }

  /** Callbacks for WorkQueue's (and Controller's `queueMetrics`) option, labelled `name`. */
  workQueue(name: string): WorkQueueMetrics {
    const labels = { name };
    this.#depth.set(labels, 0);
    this.#adds.inc(labels, 0);
    this.#retries.inc(labels, 0);
    return {
      add: () => this.#adds.inc(labels),
      depth: (depth) => this.#depth.set(labels, depth),
      retry: () => this.#retries.inc(labels),
      queueDurationMs: (ms) => this.#queueDuration.observe(labels, ms / 1000),
      workDurationMs: (ms) => this.#workDuration.observe(labels, ms / 1000),
    };
  }

  /** Callbacks for LeaderElector's `metrics` option; `name` is the lease name (controller-runtime's label). */
  leaderElection(name: string): LeaderElectionMetrics {
    this.#leading.set({ name }, 0);
    return { leading: (isLeading) => this.#leading.set({ name }, isLeading ? 1 : 0) };
  }

  /** The Manager API client hook (`onRequest`): one observation per HTTP attempt. */
  readonly onRequest: OnRequest = ({ account, operation, statusCode, durationMs }) => {
    this.#apiRequests.inc({ account, operation, code: String(statusCode) });
    this.#apiDuration.observe({ account, operation }, durationMs / 1000);
  };

  #counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  #gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  #histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: readonly number[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [this.registry] });
  }
}
