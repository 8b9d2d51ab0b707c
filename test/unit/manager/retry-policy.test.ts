import { describe, expect, it } from 'vitest';
import { BadArgumentError, RateLimitedError, StateConflictError, UnavailableError } from '../../../src/manager/errors.js';
import { RetryPolicy } from '../../../src/manager/retry-policy.js';

const unavailable = (retryAfterMs?: number) => new UnavailableError('GET /clusters: 503', retryAfterMs);

describe('RetryPolicy', () => {
  it('backs off exponentially with equal jitter, capped', () => {
    const low = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 10, random: () => 0 });
    const high = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 10, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5].map((a) => low.delayAfter(a, unavailable()))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((a) => high.delayAfter(a, unavailable()))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('gives up after maxAttempts', () => {
    const policy = new RetryPolicy({ maxAttempts: 3, random: () => 0.5 });
    expect(policy.delayAfter(2, unavailable())).toBeDefined();
    expect(policy.delayAfter(3, unavailable())).toBeUndefined();
  });

  it('honours Retry-After up to the cap, then gives up', () => {
    const policy = new RetryPolicy({ maxRetryAfterMs: 5000 });
    expect(policy.delayAfter(1, new RateLimitedError('429', 4000))).toBe(4000);
    expect(policy.delayAfter(1, unavailable(5000))).toBe(5000);
    expect(policy.delayAfter(1, new RateLimitedError('429', 5001))).toBeUndefined();
  });

  it('retries only transient transport faults', () => {
    const policy = new RetryPolicy();
    expect(policy.delayAfter(1, new RateLimitedError('429', undefined))).toBeDefined();
    expect(policy.delayAfter(1, new StateConflictError('409', 'UPDATING', 'STOPPED'))).toBeUndefined();
    expect(policy.delayAfter(1, new BadArgumentError('400', []))).toBeUndefined();
    expect(policy.delayAfter(1, new Error('boom'))).toBeUndefined();
  });
});
