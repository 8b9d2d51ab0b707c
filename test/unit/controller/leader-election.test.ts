import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/controller/clock.js';
import { isLeaderElectionError, LeaderElectionError } from '../../../src/controller/leader-election-error.js';
import { LeaderElector, type LeaderElectorOptions, type StoppedLeadingReason } from '../../../src/controller/leader-election.js';
import { FakeLeaseLock, FakeLeaseStore } from '../../support/fake-lease-lock.js';
import { ManualClock } from '../../support/manual-clock.js';

const startMs = 1_000_000;

interface Candidate {
  elector: LeaderElector;
  lock: FakeLeaseLock;
  events: string[];
}

function candidate(store: FakeLeaseStore, clock: Clock, identity: string, options: Partial<LeaderElectorOptions> = {}): Candidate {
  const lock = new FakeLeaseLock(store);
  const events: string[] = [];
  const elector = new LeaderElector({
    lock,
    identity,
    clock,
    onStartedLeading: () => events.push('started'),
    onStoppedLeading: (reason: StoppedLeadingReason) => events.push(`stopped:${reason}`),
    metrics: { leading: (isLeading) => events.push(`metric:${isLeading}`) },
    ...options,
  });
  return { elector, lock, events };
}

function setup() {
  const clock = new ManualClock(startMs);
  const store = new FakeLeaseStore();
  return { clock, store };
}

describe('LeaderElector', () => {
  it('acquires an absent lease and writes a complete record', async () => {
    const { clock, store } = setup();
    const a = candidate(store, clock, 'a');
    a.elector.start();
    await clock.flush();

    expect(a.elector.isLeader()).toBe(true);
    expect(a.elector.confirmLeadership()).toBe(true);
    expect(a.events).toEqual(['metric:true', 'started']);
    expect(store.lease?.record).toEqual({ holderIdentity: 'a', leaseDurationSeconds: 15, acquireTimeMs: startMs, renewTimeMs: startMs, leaseTransitions: 0 });
    expect(await a.elector.whenLeading()).toBe(true);
  });

  it('renews every retry period and keeps acquireTime', async () => {
    const { clock, store } = setup();
    const a = candidate(store, clock, 'a');
    a.elector.start();
    await clock.flush();
    await clock.advance(2_000);
    expect(store.lease?.record.renewTimeMs).toBe(startMs + 2_000);
    await clock.advance(60_000);

    expect(a.elector.confirmLeadership()).toBe(true);
    expect(store.lease?.record).toMatchObject({ holderIdentity: 'a', acquireTimeMs: startMs, renewTimeMs: startMs + 62_000, leaseTransitions: 0 });
    expect(a.events).toEqual(['metric:true', 'started']);
  });

  it('fences writes the moment the renew deadline passes, before any renew attempt fails', async () => {
    const manual = new ManualClock(startMs);
    let nowMs = startMs;
    // now() moves without firing timers: no renew attempt and no deadline timer can run.
    const clock: Clock = { now: () => nowMs, schedule: (ms, fn) => manual.schedule(ms, fn), sleep: (ms, signal) => manual.sleep(ms, signal) };
    const a = candidate(new FakeLeaseStore(), clock, 'a');
    a.elector.start();
    await manual.flush();

    nowMs = startMs + 9_999;
    expect(a.elector.confirmLeadership()).toBe(true);
    nowMs = startMs + 10_000;
    expect(a.elector.isLeader()).toBe(true);
    expect(a.elector.confirmLeadership()).toBe(false);
    expect(() => a.elector.assertLeader()).toThrow(LeaderElectionError);
  });

  it('loses leadership when renewals fail for the renew deadline', async () => {
    const { clock, store } = setup();
    const a = candidate(store, clock, 'a');
    a.elector.start();
    await clock.flush();
    await clock.advance(4_000);
    a.lock.isPartitioned = true;

    await clock.advance(9_999);
    expect(a.elector.confirmLeadership()).toBe(true);
    await clock.advance(1);
    expect(a.elector.confirmLeadership()).toBe(false);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.events).toEqual(['metric:true', 'started', 'metric:false', 'stopped:lost']);
  });

  it('loses leadership at the deadline even while a renewal hangs', async () => {
    const { clock, store } = setup();
    const a = candidate(store, clock, 'a');
    a.elector.start();
    await clock.flush();
    a.lock.isHanging = true;

    await clock.advance(10_000);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.events.at(-1)).toBe('stopped:lost');
  });

  it('lets a competitor take over only after the lease has not changed for its duration', async () => {
    const { clock, store } = setup();
    const a = candidate(store, clock, 'a');
    const leaders: string[] = [];
    const b = candidate(store, clock, 'b', { onNewLeader: (id) => leaders.push(id) });
    a.elector.start();
    await clock.flush();
    b.elector.start();
    await clock.advance(10_000);
    a.elector.stop();
    expect(a.events.at(-1)).toBe('stopped:stopped');
    const lastRenewMs = store.lease?.record.renewTimeMs ?? 0;

    await clock.advance(lastRenewMs + 14_000 - clock.now());
    expect(b.elector.isLeader()).toBe(false);
    await clock.advance(1_000 + 2_000);
    expect(b.elector.confirmLeadership()).toBe(true);
    expect(store.lease?.record).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    expect(leaders).toEqual(['a', 'b']);
  });

  it('measures expiry from its own observation, not the remote renewTime (clock skew)', async () => {
    const { clock, store } = setup();
    store.write({ holderIdentity: 'skewed', leaseDurationSeconds: 15, acquireTimeMs: 0, renewTimeMs: 0, leaseTransitions: 3 });
    const b = candidate(store, clock, 'b');
    b.elector.start();
    await clock.flush();
    expect(b.elector.isLeader()).toBe(false);

    await clock.advance(14_000);
    expect(b.elector.isLeader()).toBe(false);
    await clock.advance(2_000);
    expect(b.elector.isLeader()).toBe(true);
    expect(store.lease?.record).toMatchObject({ holderIdentity: 'b', leaseTransitions: 4 });
  });

  it('hands over at once on release', async () => {
    const { clock, store } = setup();
    const a = candidate(store, clock, 'a');
    const b = candidate(store, clock, 'b');
    a.elector.start();
    await clock.flush();
    b.elector.start();
    await clock.advance(5_000);

    expect(await a.elector.release()).toBe(true);
    expect(a.events.at(-1)).toBe('stopped:released');
    expect(a.elector.confirmLeadership()).toBe(false);
    expect(store.lease?.record).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });

    await clock.advance(2_000);
    expect(b.elector.isLeader()).toBe(true);
    expect(store.lease?.record).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('does not release a lease someone else holds', async () => {
    const { clock, store } = setup();
    store.write({ holderIdentity: 'other', leaseDurationSeconds: 15, acquireTimeMs: 0, renewTimeMs: 0, leaseTransitions: 0 });
    const a = candidate(store, clock, 'a');
    a.elector.start();
    await clock.flush();

    expect(await a.elector.release()).toBe(false);
    expect(store.lease?.record.holderIdentity).toBe('other');
    expect(a.events).toEqual([]);
    expect(await a.elector.whenLeading()).toBe(false);
  });

  it('makes exactly one leader when two candidates create the lease at once (409)', async () => {
    const { clock, store } = setup();
    const a = candidate(store, clock, 'a');
    const b = candidate(store, clock, 'b');
    a.elector.start();
    b.elector.start();
    await clock.flush();

    expect(store.calls.filter((c) => c === 'create')).toHaveLength(2);
    expect([a, b].filter((c) => c.elector.isLeader())).toHaveLength(1);
    await clock.advance(60_000);
    expect([a, b].filter((c) => c.elector.confirmLeadership())).toHaveLength(1);
  });

  it('stops leading at once when the lease shows another holder', async () => {
    const { clock, store } = setup();
    const a = candidate(store, clock, 'a');
    a.elector.start();
    await clock.flush();
    store.write({ holderIdentity: 'intruder', leaseDurationSeconds: 15, acquireTimeMs: clock.now(), renewTimeMs: clock.now(), leaseTransitions: 1 });

    await clock.advance(2_000);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.events.at(-1)).toBe('stopped:lost');
  });

  it('never lets two candidates confirm leadership at once under random partitions', async () => {
    const { clock, store } = setup();
    const all = ['a', 'b', 'c'].map((id) => candidate(store, clock, id));
    for (const c of all) c.elector.start();
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let handovers = 0;
    let previous: string | undefined;
    for (let step = 0; step < 400; step++) {
      const victim = all[Math.floor(random() * all.length)];
      if (victim !== undefined && random() < 0.3) victim.lock.isPartitioned = !victim.lock.isPartitioned;
      await clock.advance(Math.floor(random() * 3_000));
      const confirmed = all.filter((c) => c.elector.confirmLeadership());
      expect(confirmed.length).toBeLessThanOrEqual(1);
      const holder = confirmed[0]?.elector.identity;
      if (holder !== undefined && holder !== previous) {
        handovers++;
        previous = holder;
      }
    }
    expect(handovers).toBeGreaterThan(0);
  });

  it('makes no further attempts when onStartedLeading stops the elector', async () => {
    const { clock, store } = setup();
    const self: { elector?: LeaderElector } = {};
    const a = candidate(store, clock, 'a', { onStartedLeading: () => self.elector?.stop() });
    self.elector = a.elector;
    a.elector.start();
    await clock.flush();
    const calls = store.calls.length;

    await clock.advance(10_000);
    expect(store.calls.length).toBe(calls);
    expect(clock.pendingTimers()).toBe(0);
    expect(a.events.at(-1)).toBe('stopped:stopped');
  });

  it('rejects inconsistent timings with code InvalidOptions', () => {
    const lock = new FakeLeaseLock(new FakeLeaseStore());
    const attempt = (options: Partial<LeaderElectorOptions>) => () => new LeaderElector({ lock, identity: 'a', ...options });
    for (const bad of [{ renewDeadlineMs: 15_000 }, { retryPeriodMs: 10_000 }, { retryPeriodMs: 0 }, { identity: '' }]) {
      try {
        attempt(bad)();
        expect.fail(`accepted ${JSON.stringify(bad)}`);
      } catch (error) {
        expect(isLeaderElectionError(error, 'InvalidOptions')).toBe(true);
      }
    }
  });

  it('assertLeader throws code NotLeader before leading', () => {
    const { clock, store } = setup();
    const a = candidate(store, clock, 'a');
    try {
      a.elector.assertLeader();
      expect.fail('assertLeader passed');
    } catch (error) {
      expect(isLeaderElectionError(error, 'NotLeader')).toBe(true);
    }
  });
});
