import { describe, expect, it } from 'vitest';
import { RequestBudget } from '../../../src/manager/request-budget.js';
import { TokenBucket } from '../../../src/manager/token-bucket.js';
import { ManualClock } from '../../support/manual-clock.js';

const clockOptions = (clock: ManualClock) => ({ now: () => clock.now(), sleep: (ms: number, signal?: AbortSignal) => clock.sleep(ms, signal) });

/** Starts `n` takers and returns how many got through so far after letting microtasks run. */
function start(n: number, take: () => Promise<unknown>): { done: () => number; all: Promise<unknown[]> } {
  let done = 0;
  const all = Promise.allSettled(Array.from({ length: n }, () => take().then(() => (done += 1))));
  return { done: () => done, all };
}

describe('TokenBucket', () => {
  it('lets exactly burst through while time stands still, then one per refill interval', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 3, ...clockOptions(clock) });
    const takers = start(6, () => bucket.take());
    await clock.flush();
    expect(takers.done()).toBe(3);
    await clock.advance(499);
    expect(takers.done()).toBe(3);
    await clock.advance(1);
    expect(takers.done()).toBe(4);
    await clock.advance(1000);
    expect(takers.done()).toBe(6);
  });

  it('refills up to burst only', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 2, ...clockOptions(clock) });
    await clock.advance(60_000);
    expect(bucket.available).toBe(2);
  });

  it('returns the reserved token when a waiter aborts', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1, ...clockOptions(clock) });
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    await clock.advance(1000);
    expect(bucket.available).toBe(1);
  });
});

describe('RequestBudget', () => {
  it('caps requests in flight and hands slots over in order', async () => {
    const clock = new ManualClock();
    const budget = new RequestBudget({ ratePerSecond: 100, burst: 100, maxConcurrent: 2, ...clockOptions(clock) });
    const releases: (() => void)[] = [];
    const takers = start(4, async () => releases.push(await budget.acquire()));
    await clock.flush();
    expect(takers.done()).toBe(2);
    expect(budget.inFlight).toBe(2);
    releases[0]?.();
    releases[0]?.(); // twice is harmless
    await clock.flush();
    expect(takers.done()).toBe(3);
    expect(budget.inFlight).toBe(2);
  });

  it('applies the shared rate to every caller', async () => {
    const clock = new ManualClock();
    const budget = new RequestBudget({ ratePerSecond: 1, burst: 2, maxConcurrent: 10, ...clockOptions(clock) });
    const takers = start(5, async () => (await budget.acquire())());
    await clock.flush();
    expect(takers.done()).toBe(2);
  });

  it('frees the slot when the wait for a token is aborted', async () => {
    const clock = new ManualClock();
    const budget = new RequestBudget({ ratePerSecond: 1, burst: 1, maxConcurrent: 1, ...clockOptions(clock) });
    (await budget.acquire())();
    const controller = new AbortController();
    const waiting = budget.acquire(controller.signal);
    await clock.flush();
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(budget.inFlight).toBe(0);
  });
});
