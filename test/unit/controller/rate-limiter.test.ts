import { describe, expect, it } from 'vitest';
import {
  ExponentialBackoffRateLimiter,
  MaxOfRateLimiter,
  TokenBucketRateLimiter,
  defaultRateLimiter,
} from '../../../src/controller/rate-limiter.js';
import { ManualClock } from '../../support/manual-clock.js';

describe('ExponentialBackoffRateLimiter', () => {
  it('doubles the delay per failure up to the cap, per key', () => {
    const limiter = new ExponentialBackoffRateLimiter({ baseDelayMs: 1000, maxDelayMs: 5000 });
    expect([1, 2, 3, 4, 5].map(() => limiter.when('a'))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(limiter.when('b')).toBe(1000);
    expect(limiter.numRequeues('a')).toBe(5);
  });

  it('starts again from the base after forget', () => {
    const limiter = new ExponentialBackoffRateLimiter({ baseDelayMs: 10 });
    limiter.when('a');
    limiter.when('a');
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
    expect(limiter.when('a')).toBe(10);
  });

  it('defaults to 5 ms base and a 1000 s cap', () => {
    const limiter = new ExponentialBackoffRateLimiter();
    expect(limiter.when('a')).toBe(5);
    for (let i = 0; i < 100; i++) limiter.when('a');
    expect(limiter.when('a')).toBe(1_000_000);
  });

  it('adds jitter within the factor and never beyond the cap', () => {
    const limiter = new ExponentialBackoffRateLimiter({
      baseDelayMs: 1000,
      maxDelayMs: 1500,
      jitterFactor: 0.5,
      random: () => 0.5,
    });
    expect(limiter.when('a')).toBe(1250);
    expect(limiter.when('a')).toBe(1500);
  });
});

describe('TokenBucketRateLimiter', () => {
  it('allows a burst, then spaces retries at qps, refilling with time', async () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketRateLimiter({ qps: 10, burst: 2, clock });
    expect([limiter.when('a'), limiter.when('b'), limiter.when('c'), limiter.when('d')]).toEqual([0, 0, 100, 200]);
    await clock.advance(1000);
    expect(limiter.when('e')).toBe(0);
  });
});

describe('MaxOfRateLimiter / defaultRateLimiter', () => {
  it('takes the longest delay of backoff and global bucket', () => {
    const clock = new ManualClock();
    const limiter = defaultRateLimiter({ baseDelayMs: 1, maxDelayMs: 1000, qps: 1, burst: 1, clock });
    expect(limiter.when('a')).toBe(1);
    expect(limiter.when('b')).toBe(1000);
    expect(limiter.numRequeues('a')).toBe(1);
  });

  it('forgets in every limiter', () => {
    const backoff = new ExponentialBackoffRateLimiter({ baseDelayMs: 7 });
    const limiter = new MaxOfRateLimiter([backoff, new TokenBucketRateLimiter({ clock: new ManualClock() })]);
    limiter.when('a');
    limiter.forget('a');
    expect(backoff.numRequeues('a')).toBe(0);
    expect(limiter.when('a')).toBe(7);
  });
});
