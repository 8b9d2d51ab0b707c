// Workers pulling keys from the work queue and handing them to a Reconciler (sample-controller's
// runWorker/processNextWorkItem); what happens to a key afterwards is decided by queueActionFor.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { SystemClock, type Clock } from './clock.js';
import {
  isBusyError,
  queueActionFor,
  resultLabelFor,
  terminalErrorIn,
  type QueueAction,
  type ReconcileOutcome,
  type ReconcileResultLabel,
} from './queue-action.js';
import type { RateLimiter } from './rate-limiter.js';
import { ReconcileAbortedError } from './reconcile-aborted-error.js';
import type { Reconciler } from './reconciler.js';
import { WorkQueue, type WorkQueueMetrics } from './work-queue.js';

/** Optional callbacks a metrics exporter implements (controller_runtime_* names). */
export interface ControllerMetrics {
  /** One reconcile finished (controller_runtime_reconcile_total{result}). */
  reconcileTotal?(result: ReconcileResultLabel): void;
  /** A reconcile failed, terminally or not; busy errors excluded (controller_runtime_reconcile_errors_total). */
  reconcileError?(): void;
  /** A reconcile failed with a TerminalError (controller_runtime_terminal_reconcile_errors_total). */
  terminalReconcileError?(): void;
  /** How long a reconcile took (controller_runtime_reconcile_time_seconds). */
  reconcileTimeMs?(ms: number): void;
  /** The number of workers busy reconciling changed (controller_runtime_active_workers). */
  activeWorkers?(count: number): void;
}

/** Options of Controller. */
export interface ControllerOptions {
  /** Name bound into every log line as `controller`. */
  name: string;
  /** Reconciles one key. */
  reconciler: Reconciler;
  /** Parent logger; each reconcile gets a child with `{ controller, key, reconcileId }`. */
  logger: Logger;
  /** Number of workers, i.e. keys reconciled at once. Default 4. */
  concurrency?: number;
  /**
   * Aborts a reconcile's signal after this many ms; 0 disables. Default 300_000 (5 min). The worker
   * still waits for the reconcile to settle, so one key never runs twice at once: honour the signal.
   */
  reconcileTimeoutMs?: number;
  /** Clock for timeouts, durations and the queue. Default SystemClock. */
  clock?: Clock;
  /** Rate limiter of retries. Default the WorkQueue's (5 ms…1000 s backoff, 10 qps, burst 100). */
  rateLimiter?: RateLimiter;
  /** Controller metrics callbacks. Default none. */
  metrics?: ControllerMetrics;
  /** Work-queue metrics callbacks. Default none. */
  queueMetrics?: WorkQueueMetrics;
  /** Makes reconcile ids. Default 8 random hex characters. */
  newReconcileId?: () => string;
}

/** Options of Controller.stop. */
export interface StopOptions {
  /** How long to wait for in-flight reconciles before aborting them, in ms. Default 30_000. */
  timeoutMs?: number;
}

/** How stop() went. */
export interface StopReport {
  /** True when every in-flight reconcile finished within the timeout. */
  readonly isDrained: boolean;
  /** Keys whose reconciles were still running at the timeout and were aborted. */
  readonly abortedKeys: readonly string[];
}

/** Runs `concurrency` workers over a WorkQueue of keys; start() once, stop() once. */
export class Controller {
  /** The queue; event sources add keys to it (see enqueue). */
  readonly queue: WorkQueue<string>;
  readonly #name: string;
  readonly #reconciler: Reconciler;
  readonly #log: Logger;
  readonly #concurrency: number;
  readonly #reconcileTimeoutMs: number;
  readonly #clock: Clock;
  readonly #metrics: ControllerMetrics;
  readonly #newReconcileId: () => string;
  readonly #inFlight = new Map<string, AbortController>();
  #workers: Promise<void>[] = [];

  constructor(options: ControllerOptions) {
    this.#name = options.name;
    this.#reconciler = options.reconciler;
    this.#log = options.logger.child({ controller: options.name });
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#reconcileTimeoutMs = options.reconcileTimeoutMs ?? 300_000;
    this.#clock = options.clock ?? new SystemClock();
    this.#metrics = options.metrics ?? {};
    this.#newReconcileId = options.newReconcileId ?? (() => randomBytes(4).toString('hex'));
    this.queue = new WorkQueue<string>({
      clock: this.#clock,
      ...(options.rateLimiter === undefined ? {} : { rateLimiter: options.rateLimiter }),
      ...(options.queueMetrics === undefined ? {} : { metrics: options.queueMetrics }),
    });
  }

  /** Adds `key` to the queue; duplicates collapse. Suitable as an informer source's `onKey`. */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Number of reconciles running now. */
  activeWorkers(): number {
    return this.#inFlight.size;
  }

  /** Starts the workers; calling it again does nothing. */
  start(): void {
    if (this.#workers.length > 0) return;
    this.#log.info({ concurrency: this.#concurrency }, 'controller starting');
    for (let i = 0; i < this.#concurrency; i++) this.#workers.push(this.#work());
  }

  /** Stops intake, waits up to `timeoutMs` for in-flight reconciles, then aborts those still running. */
  async stop(options: StopOptions = {}): Promise<StopReport> {
    this.queue.shutDown();
    const abortTimeout = new AbortController();
    const allDone = Promise.all(this.#workers).then(() => true);
    const timedOut = this.#clock.sleep(options.timeoutMs ?? 30_000, abortTimeout.signal).then(
      () => false,
      () => false,
    );
    const isDrained = await Promise.race([allDone, timedOut]);
    abortTimeout.abort();
    const abortedKeys = [...this.#inFlight.keys()];
    for (const controller of this.#inFlight.values()) {
      controller.abort(new ReconcileAbortedError('ControllerStopped'));
    }
    this.#log.info({ isDrained, abortedKeys }, 'controller stopped');
    return { isDrained, abortedKeys };
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.#process(key);
      } catch (error) {
        // Only a throwing logger or metrics hook gets here; the worker must survive it.
        this.#log.error({ err: error, key }, 'worker failed');
      } finally {
        this.queue.done(key);
      }
    }
  }

  async #process(key: string): Promise<void> {
    const reconcileId = this.#newReconcileId();
    const log = this.#log.child({ key, reconcileId });
    const abort = new AbortController();
    this.#inFlight.set(key, abort);
    this.#metrics.activeWorkers?.(this.#inFlight.size);
    const cancelTimeout =
      this.#reconcileTimeoutMs > 0
        ? this.#clock.schedule(this.#reconcileTimeoutMs, () =>
            abort.abort(new ReconcileAbortedError('ReconcileTimeout')),
          )
        : () => undefined;
    const startMs = this.#clock.now();
    let outcome: ReconcileOutcome;
    try {
      const result = await this.#reconciler.reconcile({ key, reconcileId, signal: abort.signal, log });
      outcome = { kind: 'success', result: result ?? {} };
    } catch (error) {
      outcome = { kind: 'error', error };
    } finally {
      cancelTimeout();
      this.#inFlight.delete(key);
      this.#metrics.activeWorkers?.(this.#inFlight.size);
    }
    const durationMs = this.#clock.now() - startMs;
    this.#metrics.reconcileTimeMs?.(durationMs);
    this.#record(outcome, log, durationMs);
    this.#apply(key, queueActionFor(outcome));
  }

  #record(outcome: ReconcileOutcome, log: Logger, durationMs: number): void {
    const label = resultLabelFor(outcome);
    this.#metrics.reconcileTotal?.(label);
    if (outcome.kind === 'success') {
      log.debug({ durationMs, requeueAfterMs: outcome.result.requeueAfterMs }, 'reconcile succeeded');
      return;
    }
    const terminal = terminalErrorIn(outcome.error);
    if (terminal !== undefined) {
      this.#metrics.reconcileError?.();
      this.#metrics.terminalReconcileError?.();
      log.error({ err: outcome.error, code: terminal.code, durationMs }, 'reconcile failed terminally');
    } else if (isBusyError(outcome.error)) {
      log.info({ err: outcome.error, durationMs }, 'reconcile busy; retrying later');
    } else {
      this.#metrics.reconcileError?.();
      log.error({ err: outcome.error, durationMs }, 'reconcile failed');
    }
  }

  #apply(key: string, action: QueueAction): void {
    switch (action.kind) {
      case 'forget':
      case 'terminal':
        this.queue.forget(key);
        return;
      case 'requeueAfter':
        this.queue.forget(key);
        this.queue.addAfter(key, action.ms);
        return;
      case 'rateLimited':
        this.queue.addRateLimited(key, action.minDelayMs === undefined ? {} : { minDelayMs: action.minDelayMs });
        return;
    }
  }

  /** The name given in the options. */
  get name(): string {
    return this.#name;
  }
}
