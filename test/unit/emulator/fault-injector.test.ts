import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../src/emulator/fault-injector.js';

describe('FaultInjector', () => {
  it('hits every matching request without probability or count, and only its operations', () => {
    const faults = new FaultInjector(1);
    faults.add({ kind: 'error', operations: ['getCluster'], status: 500 });
    expect(faults.take('error', 'getCluster')?.status).toBe(500);
    expect(faults.take('error', 'getCluster')).toBeDefined();
    expect(faults.take('error', 'listClusters')).toBeUndefined();
    expect(faults.take('drop', 'getCluster')).toBeUndefined();
  });

  it('applies a global fault to every API operation but not to the token endpoint', () => {
    const faults = new FaultInjector(1);
    faults.add({ kind: 'drop' });
    expect(faults.take('drop', 'createCluster')).toBeDefined();
    expect(faults.take('drop', 'token')).toBeUndefined();
  });

  it('is used up after count hits and then removed', () => {
    const faults = new FaultInjector(1);
    const fault = faults.add({ kind: 'conflict', count: 2 });
    expect(faults.take('conflict', 'updateCluster')?.id).toBe(fault.id);
    expect(faults.take('conflict', 'updateCluster')?.hits).toBe(2);
    expect(faults.take('conflict', 'updateCluster')).toBeUndefined();
    expect(faults.list()).toEqual([]);
  });

  it('limits a fault to one cluster when clusterId is given', () => {
    const faults = new FaultInjector(1);
    faults.add({ kind: 'fail', clusterId: 'a' });
    expect(faults.take('fail', 'updateCluster', 'b')).toBeUndefined();
    expect(faults.take('fail', 'updateCluster', 'a')).toBeDefined();
  });

  it('makes the same decisions for the same seed, and about the asked share of requests', () => {
    const decisions = (seed: number) => {
      const faults = new FaultInjector(seed);
      faults.add({ kind: 'error', probability: 0.3 });
      return Array.from({ length: 1000 }, () => faults.take('error', 'getCluster') !== undefined);
    };
    expect(decisions(9)).toEqual(decisions(9));
    expect(decisions(9)).not.toEqual(decisions(10));
    const hits = decisions(9).filter(Boolean).length;
    expect(hits).toBeGreaterThan(200);
    expect(hits).toBeLessThan(400);
  });

  it('restarts its sequence on clear', () => {
    const faults = new FaultInjector(5);
    const run = () => {
      faults.add({ kind: 'error', probability: 0.5 });
      return Array.from({ length: 20 }, () => faults.take('error', 'getCluster') !== undefined);
    };
    const first = run();
    faults.clear();
    expect(run()).toEqual(first);
  });

  it('removes one fault by id', () => {
    const faults = new FaultInjector(1);
    const fault = faults.add({ kind: 'latency', latencyMs: 5 });
    expect(faults.remove('fault-999')).toBe(false);
    expect(faults.remove(fault.id)).toBe(true);
    expect(faults.list()).toEqual([]);
  });
});
