import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Controller } from '../../../src/controller/controller.js';
import { TerminalError } from '../../../src/controller/terminal-error.js';
import { conditionCountsFor } from '../../../src/metrics/condition-counts.js';
import { OperatorMetrics } from '../../../src/metrics/operator-metrics.js';
import { ManualClock } from '../../support/manual-clock.js';
import { sampleValue, samplesFrom } from './prometheus-text.js';

async function scrape(metrics: OperatorMetrics) {
  return samplesFrom(await metrics.registry.metrics());
}

describe('OperatorMetrics', () => {
  it('counts reconciles by result and errors, and observes reconcile time in seconds', async () => {
    const metrics = new OperatorMetrics({ collectProcessMetrics: false });
    const hooks = metrics.controller('implycluster', { maxConcurrentReconciles: 4 });
    hooks.reconcileTotal?.('success');
    hooks.reconcileTotal?.('success');
    hooks.reconcileTotal?.('error');
    hooks.reconcileError?.();
    hooks.terminalReconcileError?.();
    hooks.reconcileTimeMs?.(300);
    hooks.activeWorkers?.(3);

    const s = await scrape(metrics);
    const c = { controller: 'implycluster' };
    expect(sampleValue(s, 'controller_runtime_reconcile_total', { ...c, result: 'success' })).toBe(2);
    expect(sampleValue(s, 'controller_runtime_reconcile_total', { ...c, result: 'error' })).toBe(1);
    expect(sampleValue(s, 'controller_runtime_reconcile_errors_total', c)).toBe(1);
    expect(sampleValue(s, 'controller_runtime_terminal_reconcile_errors_total', c)).toBe(1);
    expect(sampleValue(s, 'controller_runtime_reconcile_time_seconds_sum', c)).toBeCloseTo(0.3);
    expect(sampleValue(s, 'controller_runtime_reconcile_time_seconds_bucket', { ...c, le: '0.25' })).toBe(0);
    expect(sampleValue(s, 'controller_runtime_reconcile_time_seconds_bucket', { ...c, le: '0.3' })).toBe(1);
    expect(sampleValue(s, 'controller_runtime_active_workers', c)).toBe(3);
    expect(sampleValue(s, 'controller_runtime_max_concurrent_reconciles', c)).toBe(4);
  });

  it('exports zero-valued error counters before the first error, so rate() works from the start', async () => {
    const metrics = new OperatorMetrics({ collectProcessMetrics: false });
    metrics.controller('implyaccount', { maxConcurrentReconciles: 2 });
    metrics.workQueue('implyaccount');
    const s = await scrape(metrics);
    expect(sampleValue(s, 'controller_runtime_reconcile_errors_total', { controller: 'implyaccount' })).toBe(0);
    expect(sampleValue(s, 'workqueue_retries_total', { name: 'implyaccount' })).toBe(0);
    expect(sampleValue(s, 'workqueue_depth', { name: 'implyaccount' })).toBe(0);
  });

  it('reports work-queue adds, depth, retries and durations', async () => {
    const metrics = new OperatorMetrics({ collectProcessMetrics: false });
    const q = metrics.workQueue('implycluster');
    q.add?.();
    q.add?.();
    q.depth?.(2);
    q.retry?.();
    q.queueDurationMs?.(1_500);
    q.workDurationMs?.(20);

    const s = await scrape(metrics);
    const n = { name: 'implycluster' };
    expect(sampleValue(s, 'workqueue_adds_total', n)).toBe(2);
    expect(sampleValue(s, 'workqueue_depth', n)).toBe(2);
    expect(sampleValue(s, 'workqueue_retries_total', n)).toBe(1);
    expect(sampleValue(s, 'workqueue_queue_duration_seconds_sum', n)).toBeCloseTo(1.5);
    expect(sampleValue(s, 'workqueue_work_duration_seconds_count', n)).toBe(1);
    expect(sampleValue(s, 'workqueue_queue_duration_seconds_bucket', { ...n, le: '1' })).toBe(0);
    expect(sampleValue(s, 'workqueue_queue_duration_seconds_bucket', { ...n, le: '10' })).toBe(1);
  });

  it('counts Imply API attempts by account, operation and code, including network failures', async () => {
    const metrics = new OperatorMetrics({ collectProcessMetrics: false });
    metrics.onRequest({ account: 'acme', operation: 'getCluster', statusCode: 200, durationMs: 40 });
    metrics.onRequest({ account: 'acme', operation: 'getCluster', statusCode: 200, durationMs: 60 });
    metrics.onRequest({ account: 'acme', operation: 'updateCluster', statusCode: 'timeout', durationMs: 30_000 });

    const s = await scrape(metrics);
    expect(sampleValue(s, 'imply_api_requests_total', { account: 'acme', operation: 'getCluster', code: '200' })).toBe(2);
    expect(sampleValue(s, 'imply_api_requests_total', { account: 'acme', operation: 'updateCluster', code: 'timeout' })).toBe(1);
    expect(sampleValue(s, 'imply_api_request_duration_seconds_sum', { account: 'acme', operation: 'getCluster' })).toBeCloseTo(0.1);
  });

  it('reports leader status as 0 until leading, then 1', async () => {
    const metrics = new OperatorMetrics({ collectProcessMetrics: false });
    const hooks = metrics.leaderElection('imply-operator-leader');
    expect(sampleValue(await scrape(metrics), 'leader_election_master_status', { name: 'imply-operator-leader' })).toBe(0);
    hooks.leading?.(true);
    expect(sampleValue(await scrape(metrics), 'leader_election_master_status', { name: 'imply-operator-leader' })).toBe(1);
    hooks.leading?.(false);
    expect(sampleValue(await scrape(metrics), 'leader_election_master_status', { name: 'imply-operator-leader' })).toBe(0);
  });

  it('computes imply_resources on every scrape and drops combinations that disappeared', async () => {
    let clusters = [
      { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'True' }] } },
      { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      {},
    ];
    const metrics = new OperatorMetrics({ collectProcessMetrics: false, countsByCondition: () => conditionCountsFor('ImplyCluster', clusters) });
    let s = await scrape(metrics);
    expect(sampleValue(s, 'imply_resources', { kind: 'ImplyCluster', condition: 'Ready', status: 'True' })).toBe(2);
    expect(sampleValue(s, 'imply_resources', { kind: 'ImplyCluster', condition: 'Ready', status: 'False' })).toBe(1);
    expect(sampleValue(s, 'imply_resources', { kind: 'ImplyCluster', condition: 'Synced', status: 'True' })).toBe(1);

    clusters = [{ status: { conditions: [{ type: 'Ready', status: 'True' }] } }];
    s = await scrape(metrics);
    expect(sampleValue(s, 'imply_resources', { kind: 'ImplyCluster', condition: 'Ready', status: 'True' })).toBe(1);
    expect(sampleValue(s, 'imply_resources', { kind: 'ImplyCluster', condition: 'Ready', status: 'False' })).toBeUndefined();
  });

  it('takes the resource counts source late through setCountsByCondition', async () => {
    const metrics = new OperatorMetrics({ collectProcessMetrics: false });
    metrics.setCountsByCondition(() => [{ kind: 'ImplyAccount', condition: 'Ready', status: 'True', count: 5 }]);
    expect(sampleValue(await scrape(metrics), 'imply_resources', { kind: 'ImplyAccount', condition: 'Ready', status: 'True' })).toBe(5);
  });

  it('includes process metrics by default, in its own registry only', async () => {
    const a = new OperatorMetrics();
    const b = new OperatorMetrics();
    const s = await scrape(a);
    expect(s.some((x) => x.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(s.some((x) => x.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    expect((await scrape(b)).length).toBeGreaterThan(0);
  });

  it('fits Controller and WorkQueue as their metrics options', async () => {
    const metrics = new OperatorMetrics({ collectProcessMetrics: false });
    const clock = new ManualClock();
    const controller = new Controller({
      name: 'implycluster',
      logger: pino({ enabled: false }),
      clock,
      concurrency: 2,
      metrics: metrics.controller('implycluster', { maxConcurrentReconciles: 2 }),
      queueMetrics: metrics.workQueue('implycluster'),
      reconciler: {
        reconcile: async ({ key }) => {
          await clock.sleep(250);
          if (key === 'ns/bad') throw new TerminalError('InvalidSpec', 'bad');
          return {};
        },
      },
    });
    controller.start();
    controller.enqueue('ns/a');
    controller.enqueue('ns/bad');
    await clock.advance(1_000);
    await controller.stop({ timeoutMs: 1_000 });

    const s = await scrape(metrics);
    const c = { controller: 'implycluster' };
    expect(sampleValue(s, 'controller_runtime_reconcile_total', { ...c, result: 'success' })).toBe(1);
    expect(sampleValue(s, 'controller_runtime_terminal_reconcile_errors_total', c)).toBe(1);
    expect(sampleValue(s, 'controller_runtime_reconcile_time_seconds_count', c)).toBe(2);
    expect(sampleValue(s, 'workqueue_adds_total', { name: 'implycluster' })).toBe(2);
    expect(sampleValue(s, 'workqueue_depth', { name: 'implycluster' })).toBe(0);
    expect(sampleValue(s, 'controller_runtime_active_workers', c)).toBe(0);
  });
});
