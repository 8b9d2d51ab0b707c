// HttpManagerApi against the emulator with injected faults: what is retried, what is not, what is counted.
// Waits between retries go through an injected sleep that records and returns at once: counts, not timings.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';
import { StaticTokenAuth } from '../../../src/manager/auth/static-token-auth.js';
import { HttpManagerApi, type HttpManagerApiOptions } from '../../../src/manager/http-manager-api.js';
import type { RequestObservation } from '../../../src/manager/request-observation.js';
import { aSpec } from '../../support/cluster-builders.js';
import { EmulatorAdmin } from '../../support/emulator-admin.js';

const token = 'faults-static-token';
let emulator: EmulatorHandle;
let admin: EmulatorAdmin;
let sleeps: number[];
let observations: RequestObservation[];

function client(options: Partial<HttpManagerApiOptions> = {}): HttpManagerApi {
  return new HttpManagerApi({
    baseUrl: emulator.url,
    auth: new StaticTokenAuth(token),
    account: 'acme',
    sleep: async (ms) => void sleeps.push(ms),
    retry: { random: () => 0.5 },
    onRequest: (o) => observations.push(o),
    ...options,
  });
}

async function aCluster(api: HttpManagerApi): Promise<string> {
  const cluster = await api.createCluster({ metadata: { name: `c-${Math.random().toString(36).slice(2, 8)}` }, spec: aSpec({ desiredState: 'STOPPED' }) });
  await admin.resetRequests();
  observations.length = 0;
  return cluster.metadata.uid;
}

beforeEach(async () => {
  emulator = await startEmulator({ tokens: [token], transitionMs: 40, seed: 11 });
  admin = new EmulatorAdmin(emulator.origin, token);
  sleeps = [];
  observations = [];
});
afterEach(async () => emulator.close());

describe('HttpManagerApi retries of reads', () => {
  it('retries 503 with Retry-After on a read, waiting as told, until it succeeds', async () => {
    const api = client();
    const uid = await aCluster(api);
    await admin.addFault({ kind: 'error', operations: ['getCluster'], status: 503, retryAfterSeconds: 1, count: 2 });
    expect((await api.getCluster(uid))?.metadata.uid).toBe(uid);
    expect(await admin.countsOf('getCluster')).toEqual({ '503': 2, '200': 1 });
    expect(sleeps).toEqual([1000, 1000]);
    expect(observations.map((o) => [o.account, o.operation, o.statusCode])).toEqual([
      ['acme', 'getCluster', 503],
      ['acme', 'getCluster', 503],
      ['acme', 'getCluster', 200],
    ]);
  });

  it('retries 429 with Retry-After on a read', async () => {
    const api = client();
    await admin.addFault({ kind: 'error', operations: ['listClusters'], status: 429, retryAfterSeconds: 2, count: 1 });
    expect(await api.listClusters()).toEqual([]);
    expect(await admin.countsOf('listClusters')).toEqual({ '429': 1, '200': 1 });
    expect(sleeps).toEqual([2000]);
  });

  it('gives up at once on a Retry-After beyond the cap, leaving the wait to the caller', async () => {
    const api = client();
    await admin.addFault({ kind: 'error', operations: ['listClusters'], status: 429, retryAfterSeconds: 120 });
    await expect(api.listClusters()).rejects.toMatchObject({ code: 'RateLimited', retryAfterMs: 120_000 });
    expect(await admin.countsOf('listClusters')).toEqual({ '429': 1 });
  });

  it('stops after three attempts and throws Unavailable', async () => {
    const api = client();
    await admin.addFault({ kind: 'error', operations: ['listClusters'], status: 500 });
    await expect(api.listClusters()).rejects.toMatchObject({ code: 'Unavailable', status: 500 });
    expect(await admin.countsOf('listClusters')).toEqual({ '500': 3 });
    expect(sleeps).toHaveLength(2);
  });

  it('retries a read whose connection was dropped', async () => {
    const api = client();
    const uid = await aCluster(api);
    await admin.addFault({ kind: 'drop', operations: ['getCluster'], count: 1 });
    expect(await api.getCluster(uid)).toBeDefined();
    expect(await admin.countsOf('getCluster')).toEqual({ dropped: 1, '200': 1 });
    expect(observations.map((o) => o.statusCode)).toEqual(['network', 200]);
  });

  it('times out a slow attempt as Unavailable, reported as timeout', async () => {
    const api = client({ timeoutMs: 100, retry: { maxAttempts: 1 } });
    await admin.addFault({ kind: 'latency', operations: ['listClusters'], latencyMs: 1500, count: 1 });
    await expect(api.listClusters()).rejects.toMatchObject({ code: 'Unavailable' });
    expect(observations.map((o) => o.statusCode)).toEqual(['timeout']);
  });
});

describe('HttpManagerApi writes', () => {
  it('never retries a write on 503: one request, typed error, nothing created', async () => {
    const api = client();
    await admin.addFault({ kind: 'error', operations: ['createCluster'], status: 503, retryAfterSeconds: 1 });
    await expect(api.createCluster({ metadata: { name: 'once' }, spec: aSpec() })).rejects.toMatchObject({ code: 'Unavailable', retryAfterMs: 1000 });
    expect(await admin.countsOf('createCluster')).toEqual({ '503': 1 });
    expect(sleeps).toEqual([]);
  });

  it('never retries a write whose connection was dropped', async () => {
    const api = client();
    const uid = await aCluster(api);
    await admin.addFault({ kind: 'drop', operations: ['updateCluster'], count: 1 });
    await expect(api.updateCluster(uid, { spec: { version: '2022.01' } })).rejects.toMatchObject({ code: 'Unavailable' });
    expect(await admin.countsOf('updateCluster')).toEqual({ dropped: 1 });
  });

  it('parses a forced 409 into current and target state', async () => {
    const api = client();
    const uid = await aCluster(api);
    await admin.addFault({ kind: 'conflict', operations: ['updateCluster'], count: 1 });
    await expect(api.updateCluster(uid, { spec: { desiredState: 'STARTED' } })).rejects.toMatchObject({
      code: 'StateConflict',
      status: 409,
      currentState: 'STOPPED',
      targetState: 'STARTED',
    });
    expect(await admin.countsOf('updateCluster')).toEqual({ '409': 1 });
  });
});
