import { CoordinationV1Api, V1MicroTime } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { isLeaderElectionError } from '../../src/controller/leader-election-error.js';
import { LeaderElector, type StoppedLeadingReason } from '../../src/controller/leader-election.js';
import { KubeLeaseLock } from '../../src/kube/kube-lease-lock.js';
import { freshNamespace, kubeConfig } from '../support/kube.js';

// Short timings so hand-overs take seconds: lease 2 s, renew deadline 1.5 s, retry 300 ms.
const timings = { leaseDurationMs: 2_000, renewDeadlineMs: 1_500, retryPeriodMs: 300 };
const electors: LeaderElector[] = [];

afterEach(() => {
  for (const e of electors.splice(0)) e.stop();
});

function elector(namespace: string, identity: string, stopped: StoppedLeadingReason[] = []): LeaderElector {
  const e = new LeaderElector({
    lock: new KubeLeaseLock(kubeConfig(), { namespace, name: 'imply-operator-leader' }),
    identity,
    ...timings,
    onStoppedLeading: (reason) => stopped.push(reason),
  });
  electors.push(e);
  return e;
}

async function eventually<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const leaderAmong = (...all: LeaderElector[]) => () => {
  const leaders = all.filter((e) => e.confirmLeadership());
  return leaders.length === 1 ? leaders[0] : undefined;
};

async function readLease(namespace: string) {
  return kubeConfig().makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace, name: 'imply-operator-leader' });
}

describe('LeaderElector on a real Lease', () => {
  it('elects exactly one of two candidates and keeps it', async () => {
    const namespace = await freshNamespace('leader-one');
    const a = elector(namespace, 'a');
    const b = elector(namespace, 'b');
    a.start();
    b.start();
    const leader = await eventually(leaderAmong(a, b));
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect([a, b].filter((e) => e.isLeader())).toEqual([leader]);
    }
    const lease = await readLease(namespace);
    expect(lease.spec?.holderIdentity).toBe(leader.identity);
    expect(lease.spec?.leaseDurationSeconds).toBe(2);
  });

  it('hands over after the lease duration when the leader stops renewing (crash)', async () => {
    const namespace = await freshNamespace('leader-crash');
    const a = elector(namespace, 'a');
    a.start();
    await eventually(leaderAmong(a));
    const b = elector(namespace, 'b');
    b.start();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(b.isLeader()).toBe(false);

    const stoppedAtMs = Date.now();
    a.stop();
    await eventually(leaderAmong(a, b));
    const elapsedMs = Date.now() - stoppedAtMs;
    expect(elapsedMs).toBeGreaterThanOrEqual(1_500);
    expect(elapsedMs).toBeLessThan(6_000);
    const lease = await readLease(namespace);
    expect(lease.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('hands over at once on release', async () => {
    const namespace = await freshNamespace('leader-release');
    const stopped: StoppedLeadingReason[] = [];
    const a = elector(namespace, 'a', stopped);
    a.start();
    await eventually(leaderAmong(a));
    const b = elector(namespace, 'b');
    b.start();
    await new Promise((resolve) => setTimeout(resolve, 500));

    const releasedAtMs = Date.now();
    expect(await a.release()).toBe(true);
    expect(stopped).toEqual(['released']);
    await eventually(leaderAmong(a, b));
    expect(Date.now() - releasedAtMs).toBeLessThan(1_500);
    expect((await readLease(namespace)).spec).toMatchObject({ holderIdentity: 'b', leaseDurationSeconds: 2, leaseTransitions: 1 });
  });

  it('writes MicroTime with six fractional digits and reads it back', async () => {
    const namespace = await freshNamespace('leader-microtime');
    const lock = new KubeLeaseLock(kubeConfig(), { namespace, name: 'imply-operator-leader' });
    const written = { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTimeMs: 1_796_314_328_123, renewTimeMs: 1_796_314_329_456, leaseTransitions: 2 };
    const created = await lock.create(written);
    expect(created.record).toEqual(written);
    expect((await lock.get())?.record).toEqual(written);

    // client-node hands MicroTime back as the raw string, whatever its type says.
    const raw = (await readLease(namespace)).spec?.renewTime as unknown;
    expect(raw).toBe('2026-12-03T16:12:09.456000Z');
  });

  it('is rejected by the API server when a plain Date (three fractional digits) is sent as MicroTime', async () => {
    const namespace = await freshNamespace('leader-date-trap');
    const api = kubeConfig().makeApiClient(CoordinationV1Api);
    const body = (renewTime: Date) => ({ metadata: { name: `l${renewTime.getTime()}` }, spec: { holderIdentity: 'a', renewTime: renewTime as V1MicroTime } });
    await expect(api.createNamespacedLease({ namespace, body: body(new Date(1_796_314_329_456)) })).rejects.toMatchObject({ code: 400 });
    await api.createNamespacedLease({ namespace, body: body(new V1MicroTime(1_796_314_329_456)) });
  });

  it('reports LeaseConflict when two replaces race on one resourceVersion', async () => {
    const namespace = await freshNamespace('leader-conflict');
    const one = new KubeLeaseLock(kubeConfig(), { namespace, name: 'imply-operator-leader' });
    const two = new KubeLeaseLock(kubeConfig(), { namespace, name: 'imply-operator-leader' });
    const record = { holderIdentity: '', leaseDurationSeconds: 1, acquireTimeMs: undefined, renewTimeMs: undefined, leaseTransitions: 0 };
    const created = await one.create(record);
    await expect(two.create(record)).rejects.toSatisfy((e: unknown) => isLeaderElectionError(e, 'LeaseConflict'));

    const results = await Promise.allSettled([
      one.replace({ ...record, holderIdentity: 'one' }, created.resourceVersion),
      two.replace({ ...record, holderIdentity: 'two' }, created.resourceVersion),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(isLeaderElectionError(rejected?.reason, 'LeaseConflict')).toBe(true);
  });
});
