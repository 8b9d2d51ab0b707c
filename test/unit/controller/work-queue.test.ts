import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../../src/controller/work-queue.js';
import { ExponentialBackoffRateLimiter } from '../../../src/controller/rate-limiter.js';
import { ManualClock } from '../../support/manual-clock.js';

function newQueue(clock = new ManualClock()): WorkQueue {
  return new WorkQueue({ clock, rateLimiter: new ExponentialBackoffRateLimiter({ baseDelayMs: 100 }) });
}

describe('WorkQueue', () => {
  it('collapses duplicate adds while a key waits', async () => {
    const queue = newQueue();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    expect(queue.len()).toBe(2);
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBe('b');
    expect(queue.len()).toBe(0);
  });

  it('never hands one key to two workers at once', async () => {
    const queue = newQueue();
    queue.add('a');
    expect(await queue.get()).toBe('a');
    queue.add('a');
    expect(queue.len()).toBe(0);
    let second: string | undefined;
    void queue.get().then((key) => (second = key));
    await Promise.resolve();
    expect(second).toBeUndefined();
    queue.done('a');
    await Promise.resolve();
    expect(second).toBe('a');
  });

  it('re-queues a key added during processing once, after done', async () => {
    const queue = newQueue();
    queue.add('a');
    await queue.get();
    queue.add('a');
    queue.add('a');
    queue.done('a');
    expect(queue.len()).toBe(1);
    expect(await queue.get()).toBe('a');
    queue.done('a');
    expect(queue.len()).toBe(0);
  });

  it('does not re-queue a key that was not added during processing', async () => {
    const queue = newQueue();
    queue.add('a');
    await queue.get();
    queue.done('a');
    expect(queue.len()).toBe(0);
  });

  it('resolves a waiting get when a key arrives', async () => {
    const queue = newQueue();
    const pending = queue.get();
    queue.add('x');
    expect(await pending).toBe('x');
  });

  it('adds a key after its delay, and an earlier addAfter wins', async () => {
    const clock = new ManualClock();
    const queue = newQueue(clock);
    queue.addAfter('a', 1000);
    queue.addAfter('a', 300);
    queue.addAfter('a', 2000);
    await clock.advance(299);
    expect(queue.len()).toBe(0);
    await clock.advance(1);
    expect(queue.len()).toBe(1);
    await clock.advance(5000);
    expect(queue.len()).toBe(1);
  });

  it('orders delayed keys by ready time', async () => {
    const clock = new ManualClock();
    const queue = newQueue(clock);
    queue.addAfter('late', 500);
    queue.addAfter('early', 100);
    await clock.advance(600);
    expect(await queue.get()).toBe('early');
    expect(await queue.get()).toBe('late');
  });

  it('accepts an immediate add while the key waits to be added', async () => {
    const clock = new ManualClock();
    const queue = newQueue(clock);
    queue.addAfter('a', 1000);
    queue.add('a');
    expect(await queue.get()).toBe('a');
    queue.done('a');
    await clock.advance(1000);
    expect(queue.len()).toBe(1);
  });

  it('delays addRateLimited by the backoff, at least minDelayMs, and forget resets it', async () => {
    const clock = new ManualClock();
    const queue = newQueue(clock);
    queue.addRateLimited('a');
    queue.addRateLimited('b', { minDelayMs: 5000 });
    expect(queue.numRequeues('a')).toBe(1);
    expect(clock.pendingDueTimes()).toEqual([100, 5000]);
    await clock.advance(100);
    expect(await queue.get()).toBe('a');
    queue.done('a');
    queue.addRateLimited('a');
    expect(clock.pendingDueTimes()).toEqual([300, 5000]);
    queue.forget('a');
    expect(queue.numRequeues('a')).toBe(0);
  });

  it('resolves pending and later gets with undefined after shutDown, and ignores adds', async () => {
    const clock = new ManualClock();
    const queue = newQueue(clock);
    const pending = queue.get();
    queue.addAfter('later', 100);
    queue.shutDown();
    expect(await pending).toBeUndefined();
    queue.add('a');
    expect(await queue.get()).toBeUndefined();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('shutDownWithDrain waits for keys in processing', async () => {
    const queue = newQueue();
    queue.add('a');
    await queue.get();
    let drained = false;
    void queue.shutDownWithDrain().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    queue.done('a');
    await Promise.resolve();
    expect(drained).toBe(true);
  });

  it('reports adds, depth, retries, queue and work durations', async () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const queue = new WorkQueue({
      clock,
      metrics: {
        add: () => seen.push('add'),
        depth: (n) => seen.push(`depth=${n}`),
        retry: () => seen.push('retry'),
        queueDurationMs: (ms) => seen.push(`queued=${ms}`),
        workDurationMs: (ms) => seen.push(`work=${ms}`),
      },
    });
    queue.add('a');
    await clock.advance(40);
    await queue.get();
    await clock.advance(60);
    queue.done('a');
    queue.addRateLimited('a');
    expect(seen).toEqual(['add', 'depth=1', 'depth=0', 'queued=40', 'work=60', 'retry']);
  });
});
