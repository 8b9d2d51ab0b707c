import { afterEach, describe, expect, it } from 'vitest';
import { bindAddressFrom, startHealthServer, type HealthServer } from '../../src/metrics/health-server.js';
import { OperatorMetrics } from '../../src/metrics/operator-metrics.js';
import { sampleValue, samplesFrom } from '../unit/metrics/prometheus-text.js';

const servers: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function started(options: Parameters<typeof startHealthServer>[0]): Promise<HealthServer> {
  const server = await startHealthServer(options);
  servers.push(server);
  return server;
}

describe('startHealthServer', () => {
  it('serves /metrics and the probes on separate listeners, 404 elsewhere', async () => {
    const metrics = new OperatorMetrics();
    metrics.workQueue('implycluster').add?.();
    let isReady = false;
    const server = await started({ metrics: metrics.registry, metricsBindAddress: '127.0.0.1:0', healthProbeBindAddress: ':0', isReady: () => isReady });

    const scrape = await fetch(`${server.metricsUrl}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const samples = samplesFrom(await scrape.text());
    expect(sampleValue(samples, 'workqueue_adds_total', { name: 'implycluster' })).toBe(1);
    expect(samples.some((s) => s.name === 'process_resident_memory_bytes')).toBe(true);

    expect((await fetch(`${server.probesUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.probesUrl}/readyz`)).status).toBe(500);
    isReady = true;
    expect((await fetch(`${server.probesUrl}/readyz`)).status).toBe(200);

    expect((await fetch(`${server.metricsUrl}/healthz`)).status).toBe(404);
    expect((await fetch(`${server.probesUrl}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.probesUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${server.probesUrl}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('shares one listener when both addresses are equal, and disables an address of 0', async () => {
    const metrics = new OperatorMetrics({ collectProcessMetrics: false });
    const shared = await started({ metrics: metrics.registry, metricsBindAddress: '127.0.0.1:0', healthProbeBindAddress: '127.0.0.1:0' });
    expect(shared.metricsUrl).toBe(shared.probesUrl);
    expect((await fetch(`${shared.metricsUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${shared.metricsUrl}/readyz`)).status).toBe(200);

    const probesOnly = await started({ metrics: metrics.registry, metricsBindAddress: '0', healthProbeBindAddress: '127.0.0.1:0' });
    expect(probesOnly.metricsUrl).toBeUndefined();
    expect((await fetch(`${probesOnly.probesUrl}/healthz`)).status).toBe(200);
  });

  it('answers 500 on /metrics when rendering fails, and stays up', async () => {
    const server = await started({
      metrics: { contentType: 'text/plain', metrics: () => Promise.reject(new Error('boom')) },
      metricsBindAddress: '127.0.0.1:0',
      healthProbeBindAddress: '127.0.0.1:0',
    });
    expect((await fetch(`${server.metricsUrl}/metrics`)).status).toBe(500);
    expect((await fetch(`${server.metricsUrl}/healthz`)).status).toBe(200);
  });

  it('rejects when the port is taken, and closes cleanly with open keep-alive connections', async () => {
    const metrics = new OperatorMetrics({ collectProcessMetrics: false });
    const first = await started({ metrics: metrics.registry, metricsBindAddress: '127.0.0.1:0', healthProbeBindAddress: '0' });
    const taken = new URL(first.metricsUrl ?? '').host;
    await expect(startHealthServer({ metrics: metrics.registry, metricsBindAddress: taken, healthProbeBindAddress: '0' })).rejects.toThrow('cannot start health server');
    await fetch(`${first.metricsUrl}/metrics`, { keepalive: true });
    await first.close();
    await expect(fetch(`${first.metricsUrl}/metrics`)).rejects.toThrow();
  });

  it('parses bind addresses like controller-runtime', () => {
    expect(bindAddressFrom(':8080')).toEqual({ host: undefined, port: 8080 });
    expect(bindAddressFrom('127.0.0.1:9090')).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(bindAddressFrom('[::1]:8081')).toEqual({ host: '::1', port: 8081 });
    expect(bindAddressFrom('0')).toBeUndefined();
    expect(() => bindAddressFrom('8080')).toThrow();
    expect(() => bindAddressFrom(':99999')).toThrow();
  });
});
