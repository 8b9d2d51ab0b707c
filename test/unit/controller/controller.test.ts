import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Controller, type ControllerOptions } from '../../../src/controller/controller.js';
import { ExponentialBackoffRateLimiter } from '../../../src/controller/rate-limiter.js';
import { ReconcileAbortedError } from '../../../src/controller/reconcile-aborted-error.js';
import type { ReconcileRequest, ReconcileResult } from '../../../src/controller/reconciler.js';
import { TerminalError } from '../../../src/controller/terminal-error.js';
import { ManualClock } from '../../support/manual-clock.js';

type Handler = (request: ReconcileRequest) => Promise<ReconcileResult>;

interface Harness {
  clock: ManualClock;
  controller: Controller;
  calls: { key: string; atMs: number; reconcileId: string }[];
  results: string[];
  logs: Record<string, unknown>[];
}

function harness(handler: Handler, options: Partial<ControllerOptions> = {}): Harness {
  const clock = new ManualClock();
  const calls: Harness['calls'] = [];
  const results: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  let nextId = 0;
  const controller = new Controller({
    name: 'test',
    logger,
    clock,
    concurrency: 2,
    rateLimiter: new ExponentialBackoffRateLimiter({ baseDelayMs: 1000, maxDelayMs: 300_000 }),
    newReconcileId: () => `r${nextId++}`,
    metrics: { reconcileTotal: (result) => results.push(result) },
    reconciler: {
      reconcile: (request) => {
        calls.push({ key: request.key, atMs: clock.now(), reconcileId: request.reconcileId });
        return handler(request);
      },
    },
    ...options,
  });
  return { clock, controller, calls, results, logs };
}

/** A promise the test settles by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Controller', () => {
  it('reconciles an enqueued key once and forgets it on success', async () => {
    const h = harness(async () => ({}));
    h.controller.start();
    h.controller.enqueue('ns/a');
    await h.clock.advance(10_000);
    expect(h.calls.map((c) => c.key)).toEqual(['ns/a']);
    expect(h.results).toEqual(['success']);
    expect(h.controller.queue.numRequeues('ns/a')).toBe(0);
  });

  it('passes a reconcile id and a child logger carrying key and reconcileId', async () => {
    const h = harness(async ({ log }) => {
      log.info('inside');
      return {};
    });
    h.controller.start();
    h.controller.enqueue('ns/a');
    await h.clock.flush();
    expect(h.logs.find((l) => l['msg'] === 'inside')).toMatchObject({ controller: 'test', key: 'ns/a', reconcileId: 'r0' });
  });

  it('requeues after requeueAfterMs', async () => {
    const h = harness(async () => ({ requeueAfterMs: 5000 }));
    h.controller.start();
    h.controller.enqueue('ns/a');
    await h.clock.advance(12_000);
    expect(h.calls.map((c) => c.atMs)).toEqual([0, 5000, 10_000]);
    expect(h.results).toEqual(['requeue_after', 'requeue_after', 'requeue_after']);
  });

  it('backs off exponentially on errors and resets after a success', async () => {
    let failures = 3;
    const h = harness(async () => {
      if (failures-- > 0) throw new Error('boom');
      return {};
    });
    h.controller.start();
    h.controller.enqueue('ns/a');
    await h.clock.advance(60_000);
    expect(h.calls.map((c) => c.atMs)).toEqual([0, 1000, 3000, 7000]);
    expect(h.results).toEqual(['error', 'error', 'error', 'success']);
    expect(h.controller.queue.numRequeues('ns/a')).toBe(0);
  });

  it('does not retry a TerminalError', async () => {
    const terminalErrors: number[] = [];
    const errors: number[] = [];
    const h = harness(
      async () => {
        throw new TerminalError('InvalidSpec', 'bad spec');
      },
      { metrics: { terminalReconcileError: () => terminalErrors.push(1), reconcileError: () => errors.push(1) } },
    );
    h.controller.start();
    h.controller.enqueue('ns/a');
    await h.clock.advance(600_000);
    expect(h.calls).toHaveLength(1);
    expect(terminalErrors).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(h.logs.find((l) => l['msg'] === 'reconcile failed terminally')).toMatchObject({ code: 'InvalidSpec' });
  });

  it('honours retryAfterMs as a lower bound of the backoff', async () => {
    let failures = 1;
    const h = harness(async () => {
      if (failures-- > 0) throw Object.assign(new Error('slow down'), { retryAfterMs: 30_000 });
      return {};
    });
    h.controller.start();
    h.controller.enqueue('ns/a');
    await h.clock.advance(60_000);
    expect(h.calls.map((c) => c.atMs)).toEqual([0, 30_000]);
  });

  it('counts busy errors as requeue, not error, and still backs off', async () => {
    const errors: number[] = [];
    let busy = 2;
    const h = harness(
      async () => {
        if (busy-- > 0) throw Object.assign(new Error('busy'), { isBusy: true });
        return {};
      },
      { metrics: { reconcileTotal: (r) => h.results.push(r), reconcileError: () => errors.push(1) } },
    );
    h.controller.start();
    h.controller.enqueue('ns/a');
    await h.clock.advance(60_000);
    expect(h.calls.map((c) => c.atMs)).toEqual([0, 1000, 3000]);
    expect(h.results).toEqual(['requeue', 'requeue', 'success']);
    expect(errors).toHaveLength(0);
  });

  it('never reconciles one key in two workers at once; a change during a reconcile runs after it', async () => {
    const gate = deferred<ReconcileResult>();
    const h = harness(() => (h.calls.length === 1 ? gate.promise : Promise.resolve({})), { concurrency: 4 });
    h.controller.start();
    h.controller.enqueue('ns/a');
    await h.clock.flush();
    h.controller.enqueue('ns/a');
    h.controller.enqueue('ns/a');
    await h.clock.flush();
    expect(h.calls).toHaveLength(1);
    gate.resolve({});
    await h.clock.flush();
    expect(h.calls).toHaveLength(2);
  });

  it('survives a reconciler that throws synchronously or rejects with a non-Error', async () => {
    let call = 0;
    const h = harness((() => {
      call++;
      if (call === 1) throw new Error('sync');
      if (call === 2) return Promise.reject('a string');
      return Promise.resolve({});
    }) as Handler);
    h.controller.start();
    h.controller.enqueue('ns/a');
    await h.clock.advance(10_000);
    expect(h.results).toEqual(['error', 'error', 'success']);
  });

  it('survives a throwing metrics hook', async () => {
    const h = harness(async () => ({}), {
      metrics: {
        reconcileTotal: () => {
          throw new Error('hook');
        },
      },
    });
    h.controller.start();
    h.controller.enqueue('ns/a');
    await h.clock.flush();
    h.controller.enqueue('ns/b');
    await h.clock.flush();
    expect(h.calls.map((c) => c.key)).toEqual(['ns/a', 'ns/b']);
    expect(h.logs.filter((l) => l['msg'] === 'worker failed')).toHaveLength(2);
  });

  it('aborts a reconcile that runs past its timeout and retries it', async () => {
    const reasons: unknown[] = [];
    const h = harness(
      ({ signal }) =>
        h.calls.length === 1
          ? new Promise((_resolve, reject) =>
              signal.addEventListener('abort', () => {
                reasons.push(signal.reason);
                reject(signal.reason);
              }),
            )
          : Promise.resolve({}),
      { reconcileTimeoutMs: 60_000 },
    );
    h.controller.start();
    h.controller.enqueue('ns/a');
    await h.clock.advance(62_000);
    expect(reasons[0]).toBeInstanceOf(ReconcileAbortedError);
    expect((reasons[0] as ReconcileAbortedError).code).toBe('ReconcileTimeout');
    expect(h.calls.map((c) => c.atMs)).toEqual([0, 61_000]);
  });

  it('stop waits for in-flight reconciles and takes no new work', async () => {
    const gate = deferred<ReconcileResult>();
    const h = harness(() => gate.promise);
    h.controller.start();
    h.controller.enqueue('ns/a');
    await h.clock.flush();
    const stopped = h.controller.stop({ timeoutMs: 10_000 });
    h.controller.enqueue('ns/b');
    await h.clock.advance(1000);
    gate.resolve({});
    expect(await stopped).toEqual({ isDrained: true, abortedKeys: [] });
    expect(h.calls.map((c) => c.key)).toEqual(['ns/a']);
  });

  it('stop aborts in-flight reconciles after its timeout', async () => {
    const reasons: unknown[] = [];
    const h = harness(({ signal }) => {
      signal.addEventListener('abort', () => reasons.push(signal.reason));
      return new Promise<ReconcileResult>(() => undefined);
    });
    h.controller.start();
    h.controller.enqueue('ns/a');
    await h.clock.flush();
    const stopped = h.controller.stop({ timeoutMs: 10_000 });
    await h.clock.advance(10_000);
    expect(await stopped).toEqual({ isDrained: false, abortedKeys: ['ns/a'] });
    expect((reasons[0] as ReconcileAbortedError).code).toBe('ControllerStopped');
  });

  it('passes queue metrics to its work queue', async () => {
    const adds: number[] = [];
    const h = harness(async () => ({}), { queueMetrics: { add: () => adds.push(1) } });
    h.controller.enqueue('ns/a');
    h.controller.enqueue('ns/a');
    expect(adds).toHaveLength(2);
    expect(h.controller.queue.len()).toBe(1);
  });

  it('reports active workers', async () => {
    const active: number[] = [];
    const gate = deferred<ReconcileResult>();
    const h = harness(() => gate.promise, { metrics: { activeWorkers: (n) => active.push(n) } });
    h.controller.start();
    h.controller.enqueue('ns/a');
    h.controller.enqueue('ns/b');
    await h.clock.flush();
    expect(h.controller.activeWorkers()).toBe(2);
    gate.resolve({});
    await h.clock.flush();
    expect(active).toEqual([1, 2, 1, 0]);
  });
});
