// SIGTERM as Kubernetes sends it on a rolling update or drain: the controller stops taking work,
// finishes the reconciles in flight (here a create slowed down by the emulator), releases the lease
// and exits 0, leaving nothing half-written; a restarted controller converges without a second
// Imply cluster. A standby that never led exits 0 too and leaves the lease alone.
import { afterEach, describe, expect, it } from 'vitest';
import { freePorts } from '../../src/kube/free-port.js';
import { aSpec } from '../support/cluster-builders.js';
import { ControllerProcess } from '../support/controller-process.js';
import { freshNamespace } from '../support/kube.js';
import { callApi, eventually, OperatorStack, readLease } from '../support/operator-stack.js';

const leaseName = 'imply-operator-leader';
const leaderElection = (namespace: string) => ['--leader-elect', '--leader-election-namespace', namespace, '--lease-duration', '6s', '--renew-deadline', '4s', '--retry-period', '500ms'];

let stack: OperatorStack | undefined;
let processes: ControllerProcess[] = [];

afterEach(async () => {
  await Promise.all(processes.map((p) => p.stop('SIGKILL')));
  processes = [];
  await stack?.stop();
  stack = undefined;
});

function started(args: string[]): ControllerProcess {
  const process = ControllerProcess.start(args);
  processes.push(process);
  return process;
}

const tailOf = (p: ControllerProcess | undefined) => p?.output.split('\n').slice(-25).join('\n') ?? '';
const isLeading = (p: ControllerProcess) => p.logLinesWith('controller started').length > 0;
const identityOf = (p: ControllerProcess) => p.logLinesWith('leader lease acquired').at(-1)?.['identity'];

async function clustersInImply(s: OperatorStack): Promise<unknown[]> {
  const listed = (await callApi(s, 'GET', '/clusters')).json as { items?: unknown[] } | unknown[];
  return Array.isArray(listed) ? listed : (listed.items ?? []);
}

describe('controller shutdown on SIGTERM', () => {
  it('finishes an in-flight create, releases the lease, exits 0; a restart converges with exactly one Imply cluster', async () => {
    stack = await OperatorStack.start({ prefix: 'shutdown', withoutController: true });
    const s = stack;
    const leaseNamespace = await freshNamespace('shutdown-lease');
    const controller = s.startController(leaderElection(leaseNamespace));
    processes.push(controller);
    await eventually(() => `the controller to lead\n${tailOf(controller)}`, () => (isLeading(controller) ? true : undefined));

    await s.admin.addFault({ kind: 'latency', operations: ['createCluster'], latencyMs: 2_000 });
    await s.createCluster('clicks', { cluster: aSpec() });
    await eventually('the create to be in flight (the latency fault hit)', async () => ((await s.admin.faults())[0]?.hits ?? 0) >= 1 || undefined, 30_000, 20);
    expect(await controller.stop('SIGTERM')).toBe(0);

    // The create was finished and recorded before the exit, and nothing was aborted.
    const drained = controller.logLinesWith('controller stopped').find((line) => line['controller'] === 'implycluster');
    expect(drained).toMatchObject({ isDrained: true, abortedKeys: [] });
    expect(controller.logLinesWith('leader lease released').length).toBe(1);
    const afterExit = await s.getCluster('clicks');
    expect(afterExit.status?.clusterId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await s.admin.countsOf('createCluster')).toEqual({ '202': 1 });
    expect(await clustersInImply(s)).toHaveLength(1);
    const lease = await readLease(leaseNamespace, leaseName);
    expect(lease?.spec?.holderIdentity ?? '').toBe('');
    expect(lease?.spec?.leaseDurationSeconds).toBe(1);

    await s.admin.clearFaults();
    const restarted = s.startController(leaderElection(leaseNamespace));
    processes.push(restarted);
    const ready = await s.waitForCondition('clicks', 'Ready', 'True');
    expect(ready.status?.clusterId).toBe(afterExit.status?.clusterId);
    expect(await s.admin.countsOf('createCluster')).toEqual({ '202': 1 });
    expect(await clustersInImply(s)).toHaveLength(1);
    expect((await readLease(leaseNamespace, leaseName))?.spec?.holderIdentity).toBe(identityOf(restarted));
  });

  it('while idle: a standby exits 0 leaving the lease; the leader exits 0 releasing it, and the next replica takes over', async () => {
    stack = await OperatorStack.start({ prefix: 'shutdown-idle', withoutController: true });
    const s = stack;
    const leaseNamespace = await freshNamespace('shutdown-idle-lease');
    const args = [...s.controllerArgs, ...leaderElection(leaseNamespace)];
    const first = started(args);
    await eventually(() => `the first replica to lead\n${tailOf(first)}`, () => (isLeading(first) ? true : undefined));
    // The standbys serve /readyz once their elector competes: only then is a SIGTERM theirs to handle
    // (during module loading the default action still applies).
    const probePorts = await freePorts(2);
    const [second, third] = probePorts.map((port) => started([...args, '--health-probe-bind-address', `127.0.0.1:${port}`]));
    for (const port of probePorts) {
      await eventually(() => `a standby on :${port} to be ready\n${processes.map(tailOf).join('\n---\n')}`, async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined));
    }
    if (second === undefined || third === undefined) throw new Error('two standbys expected');
    s.controller = first;
    await s.createCluster('clicks', { cluster: aSpec() });
    await s.waitForCondition('clicks', 'Ready', 'True');
    const firstIdentity = identityOf(first);
    expect((await readLease(leaseNamespace, leaseName))?.spec?.holderIdentity).toBe(firstIdentity);

    // A standby that never led: exits 0, touches nothing.
    expect(await third.stop('SIGTERM')).toBe(0);
    expect(third.logLinesWith('leader lease acquired')).toEqual([]);
    expect(third.logLinesWith('leader lease released')).toEqual([]);
    expect((await readLease(leaseNamespace, leaseName))?.spec?.holderIdentity).toBe(firstIdentity);

    // The idle leader: exits 0 and releases; the remaining standby takes over without waiting out the lease.
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.logLinesWith('leader lease released').length).toBe(1);
    await eventually(() => `the second replica to lead\n${tailOf(second)}`, () => (isLeading(second) ? true : undefined));
    const secondIdentity = identityOf(second);
    expect(secondIdentity).not.toBe(firstIdentity);
    expect((await readLease(leaseNamespace, leaseName))?.spec?.holderIdentity).toBe(secondIdentity);

    // The last one releases too: afterwards nobody holds the lease.
    s.controller = second;
    expect(await second.stop('SIGTERM')).toBe(0);
    const lease = await readLease(leaseNamespace, leaseName);
    expect(lease?.spec?.holderIdentity ?? '').toBe('');
    expect(lease?.spec?.leaseDurationSeconds).toBe(1);
    expect(await s.admin.countsOf('createCluster')).toEqual({ '202': 1 });
  });
});
