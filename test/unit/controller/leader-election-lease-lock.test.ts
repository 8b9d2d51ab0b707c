import { describe, expect, it } from 'vitest';
import { leaseSpecFor, microTimeMsFrom, podNamespace, storedLeaseFrom } from '../../../src/kube/kube-lease-lock.js';

const record = { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTimeMs: 1_796_314_328_123, renewTimeMs: 1_796_314_329_456, leaseTransitions: 2 };

describe('KubeLeaseLock conversions', () => {
  it('serializes MicroTime fields with exactly six fractional digits', () => {
    const json = JSON.parse(JSON.stringify(leaseSpecFor(record))) as Record<string, unknown>;
    expect(json).toEqual({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      leaseTransitions: 2,
      acquireTime: '2026-12-03T16:12:08.123000Z',
      renewTime: '2026-12-03T16:12:09.456000Z',
    });
  });

  it('omits absent times instead of sending null', () => {
    const json = JSON.parse(JSON.stringify(leaseSpecFor({ ...record, acquireTimeMs: undefined, renewTimeMs: undefined }))) as object;
    expect(Object.keys(json).sort()).toEqual(['holderIdentity', 'leaseDurationSeconds', 'leaseTransitions']);
  });

  it('reads MicroTime as the raw string client-node returns, as a Date, or not at all', () => {
    expect(microTimeMsFrom('2026-12-03T16:12:09.456789Z')).toBe(1_796_314_329_456);
    expect(microTimeMsFrom(new Date(5))).toBe(5);
    expect(microTimeMsFrom(undefined)).toBeUndefined();
    expect(microTimeMsFrom('yesterday')).toBeUndefined();
  });

  it('reads a Lease with an empty spec as released, never held', () => {
    expect(storedLeaseFrom({ metadata: { resourceVersion: '7' } })).toEqual({
      resourceVersion: '7',
      record: { holderIdentity: '', leaseDurationSeconds: 0, acquireTimeMs: undefined, renewTimeMs: undefined, leaseTransitions: 0 },
    });
  });

  it('finds no pod namespace outside a cluster', () => {
    expect(podNamespace('/nonexistent/namespace')).toBeUndefined();
  });
});
