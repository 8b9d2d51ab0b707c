// The controller's /metrics, /healthz and /readyz as Prometheus and the kubelet see them: a real
// controller process on loopback ports, scraped and parsed strictly, its counters following one
// ImplyCluster from creation to Ready.
import { afterEach, describe, expect, it } from 'vitest';
import { freePorts } from '../../src/kube/free-port.js';
import { aSpec } from '../support/cluster-builders.js';
import { eventually, OperatorStack } from '../support/operator-stack.js';
import { scrapeMetrics, type Exposition } from '../support/prometheus-text.js';

let stack: OperatorStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const reconcileResults = ['success', 'error', 'requeue', 'requeue_after'];

describe('controller metrics and probes', () => {
  it('serves Prometheus text whose counters follow an ImplyCluster to Ready, and answers the probes', async () => {
    const [metricsPort, probesPort] = await freePorts(2);
    const metricsUrl = `http://127.0.0.1:${metricsPort}`;
    const probesUrl = `http://127.0.0.1:${probesPort}`;
    stack = await OperatorStack.start({
      prefix: 'metrics',
      controllerArgs: ['--metrics-bind-address', `127.0.0.1:${metricsPort}`, '--health-probe-bind-address', `127.0.0.1:${probesPort}`],
    });
    const s = stack;
    const tail = () => s.controller?.output.split('\n').slice(-20).join('\n') ?? '';

    await eventually(() => `/healthz 200\n${tail()}`, async () => ((await fetch(`${probesUrl}/healthz`)).status === 200 ? true : undefined));
    await eventually(() => `/readyz 200 once synced\n${tail()}`, async () => ((await fetch(`${probesUrl}/readyz`)).status === 200 ? true : undefined));
    expect(s.controller?.logLinesWith('informer synced').length).toBe(3);

    const before = await scrapeMetrics(metricsUrl);
    for (const controller of ['implycluster', 'implyaccount']) {
      expect(before.value('controller_runtime_reconcile_errors_total', { controller })).toBe(0);
      expect(before.value('controller_runtime_terminal_reconcile_errors_total', { controller })).toBe(0);
    }
    expect(before.value('controller_runtime_max_concurrent_reconciles', { controller: 'implycluster' })).toBe(4);
    expect(before.family('imply_api_requests_total').type).toBe('counter');
    expect(before.value('imply_api_requests_total', { operation: 'createCluster' })).toBeUndefined();
    expect(before.value('imply_resources', { kind: 'ImplyCluster', condition: 'Ready', status: 'True' })).toBeUndefined();
    expect(before.families.has('leader_election_master_status')).toBe(true);
    expect(before.family('leader_election_master_status').samples).toEqual([]); // no --leader-elect
    expect(before.value('process_resident_memory_bytes')).toBeGreaterThan(0);

    await stack.createCluster('clicks', { cluster: aSpec() });
    await stack.waitForCondition('clicks', 'Ready', 'True');
    // imply_resources is counted from the informer cache at scrape time: it follows the watch shortly.
    const after = await eventually(
      'imply_resources to count the Ready cluster',
      async () => {
        const metrics = await scrapeMetrics(metricsUrl);
        return metrics.value('imply_resources', { kind: 'ImplyCluster', condition: 'Ready', status: 'True' }) === 1 ? metrics : undefined;
      },
      30_000,
    );

    const reconciles = (m: Exposition) => m.sum('controller_runtime_reconcile_total', { controller: 'implycluster' });
    expect(reconciles(after)).toBeGreaterThan(reconciles(before));
    for (const sample of after.family('controller_runtime_reconcile_total').samples) expect(reconcileResults).toContain(sample.labels['result']);
    // An ImplyCluster reconcile always schedules its next poll, so its passes count as requeue_after.
    expect(after.value('controller_runtime_reconcile_total', { controller: 'implycluster', result: 'requeue_after' }) ?? 0).toBeGreaterThan(0);
    expect(after.value('controller_runtime_reconcile_time_seconds_count', { controller: 'implycluster' })).toBe(reconciles(after));
    expect(after.value('controller_runtime_reconcile_errors_total', { controller: 'implycluster' })).toBe(0);

    expect(after.value('imply_api_requests_total', { operation: 'createCluster', code: '202' })).toBe(1);
    expect(after.sum('imply_api_requests_total', { operation: 'createCluster' })).toBe(1);
    // The account label is the ImplyAccount's key, namespace/name (docs/operations.md says "name").
    expect(after.value('imply_api_requests_total', { account: `${stack.namespace}/default`, operation: 'createCluster', code: '202' })).toBe(1);
    expect(after.value('imply_api_request_duration_seconds_count', { operation: 'createCluster' })).toBe(1);
    // Every attempt the controller counted reached the emulator, and nothing else did (compared once
    // the controller is idle: a scrape and the emulator's counts are not one atomic read).
    let seen = '';
    await eventually(() => `the controller's imply_api_requests_total to match the emulator's counts ${seen}`, async () => {
      const metrics = await scrapeMetrics(metricsUrl);
      seen = JSON.stringify((await s.admin.requests()).api);
      const counted = Object.entries((await s.admin.requests()).api).flatMap(([operation, byCode]) => Object.entries(byCode).map(([code, count]) => ({ operation, code, count })));
      const matches = counted.every(({ operation, code, count }) => metrics.value('imply_api_requests_total', { operation, code }) === count);
      return matches && metrics.sum('imply_api_requests_total') === counted.reduce((total, c) => total + c.count, 0) ? true : undefined;
    }, 30_000, 250);

    const adds = (m: Exposition) => m.value('workqueue_adds_total', { name: 'implycluster' }) ?? 0;
    expect(adds(after)).toBeGreaterThan(adds(before));
    expect(after.value('workqueue_queue_duration_seconds_count', { name: 'implycluster' })).toBeGreaterThan(0);
    expect(after.value('imply_resources', { kind: 'ImplyCluster', condition: 'Ready', status: 'False' })).toBeUndefined();
    expect(after.value('imply_resources', { kind: 'ImplyAccount', condition: 'Ready', status: 'True' })).toBe(1);

    expect((await fetch(`${probesUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${probesUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${metricsUrl}/healthz`)).status).toBe(404);
    expect((await fetch(`${probesUrl}/metrics`)).status).toBe(404);

    expect(await stack.controller?.stop()).toBe(0);
  });
});
