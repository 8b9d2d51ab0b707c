// Two controller processes with --leader-elect on one Lease, as the Deployment runs them: only the
// leader reconciles and writes to the Imply API; a SIGKILLed leader is replaced within the lease
// time; a paused (deposed) leader that wakes up after a successor took over makes no Imply write
// and exits 1.
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { freePorts } from '../../src/kube/free-port.js';
import { aSpec } from '../support/cluster-builders.js';
import { ControllerProcess } from '../support/controller-process.js';
import { freshNamespace } from '../support/kube.js';
import { callApi, eventually, OperatorStack, readLease } from '../support/operator-stack.js';
import { scrapeMetrics, type Exposition } from '../support/prometheus-text.js';

// Short timings so hand-overs take seconds; waits below are generous and no test asserts a duration.
// Not shorter: on a loaded machine a 2 s renew deadline can lapse and a healthy leader exits.
const timings = ['--lease-duration', '6s', '--renew-deadline', '4s', '--retry-period', '500ms'];
const leaseName = 'imply-operator-leader';
const writeOperations = ['createCluster', 'overwriteCluster', 'updateCluster', 'deleteCluster', 'restartServer'];

interface Replica {
  name: string;
  process: ControllerProcess;
  metricsUrl: string;
  probesUrl: string;
}

let stack: OperatorStack | undefined;
let replicas: Replica[] = [];

afterEach(async () => {
  for (const r of replicas) r.process.signal('SIGCONT'); // a stopped process would ignore SIGTERM until continued
  await Promise.all(replicas.map((r) => r.process.stop('SIGKILL')));
  replicas = [];
  if (stack !== undefined) stack.controller = undefined; // stopped above
  await stack?.stop();
  stack = undefined;
});

/** Starts `names.length` controllers competing for the Lease in `leaseNamespace`, each with its own metrics and probe ports. */
async function startReplicas(s: OperatorStack, leaseNamespace: string, names: string[]): Promise<Replica[]> {
  const ports = await freePorts(names.length * 2);
  const started = names.map((name, i) => {
    const metricsUrl = `http://127.0.0.1:${ports[2 * i]}`;
    const probesUrl = `http://127.0.0.1:${ports[2 * i + 1]}`;
    const process = ControllerProcess.start([
      ...s.controllerArgs,
      '--leader-elect',
      '--leader-election-namespace', leaseNamespace,
      ...timings,
      '--metrics-bind-address', new URL(metricsUrl).host,
      '--health-probe-bind-address', new URL(probesUrl).host,
    ]);
    return { name, process, metricsUrl, probesUrl };
  });
  replicas.push(...started);
  return started;
}

function logTails(): string {
  return replicas.map((r) => `--- ${r.name} log tail:\n${r.process.output.split('\n').slice(-25).join('\n')}`).join('\n');
}

/** The identity a replica logged when it acquired the lease (the elector's child logger binds it). */
function identityOf(replica: Replica): string | undefined {
  const acquired = replica.process.logLinesWith('leader lease acquired').at(-1);
  return typeof acquired?.['identity'] === 'string' ? acquired['identity'] : undefined;
}

const isLeading = (r: Replica) => r.process.logLinesWith('controller started').length > 0;

/** Waits until exactly one replica leads and every other one answers /readyz (so it is up and competing). */
async function electedAmong(all: Replica[]): Promise<{ leader: Replica; standbys: Replica[] }> {
  const leader = await eventually(() => `one leader\n${logTails()}`, () => {
    const leading = all.filter(isLeading);
    return leading.length === 1 ? leading[0] : undefined;
  });
  const standbys = all.filter((r) => r !== leader);
  for (const standby of standbys) {
    await eventually(() => `${standby.name} ready as a standby\n${logTails()}`, async () => ((await fetch(`${standby.probesUrl}/readyz`)).status === 200 ? true : undefined));
  }
  return { leader, standbys };
}

/** The current holder once it is non-empty and not `previous`. */
async function newHolder(leaseNamespace: string, previous: string): Promise<string> {
  return eventually(() => `a new lease holder other than ${previous}\n${logTails()}`, async () => {
    const holder = (await readLease(leaseNamespace, leaseName))?.spec?.holderIdentity;
    return holder !== undefined && holder !== '' && holder !== previous ? holder : undefined;
  });
}

/** Scrapes the replica's /metrics; a failure names the replica and shows the logs. */
async function scrapeOf(replica: Replica): Promise<Exposition> {
  try {
    return await scrapeMetrics(replica.metricsUrl);
  } catch (error) {
    throw new Error(`scraping ${replica.name} (exited: ${replica.process.hasExited}): ${(error as Error).message} ${String((error as Error).cause)}\n${logTails()}`);
  }
}

/** Imply API writes this replica made, by its own metrics (attempts of every status code). */
function writesIn(metrics: Exposition): number {
  return writeOperations.reduce((total, operation) => total + metrics.sum('imply_api_requests_total', { operation }), 0);
}

const reconcileLines = (r: Replica) => r.process.logLines().filter((line) => 'reconcileId' in line);

/** Resolves once `read` returned the same value for `quietMs`. */
async function settled(read: () => Promise<number>, quietMs = 1_000): Promise<number> {
  let last = await read();
  let since = Date.now();
  for (;;) {
    await delay(100);
    const now = await read();
    if (now !== last) [last, since] = [now, Date.now()];
    else if (Date.now() - since >= quietMs) return now;
  }
}

describe('controller high availability (--leader-elect)', () => {
  it('lets only the leader reconcile and write, and hands over after the leader is SIGKILLed', async () => {
    stack = await OperatorStack.start({ prefix: 'ha', withoutController: true });
    const leaseNamespace = await freshNamespace('ha-lease');
    const { leader, standbys } = await electedAmong(await startReplicas(stack, leaseNamespace, ['a', 'b']));
    const [standby] = standbys;
    if (standby === undefined) throw new Error('no standby');
    stack.controller = leader.process; // for the log tail in waitForCluster's failure message

    const leaderIdentity = identityOf(leader);
    expect(leaderIdentity).toBeDefined();
    const lease = await readLease(leaseNamespace, leaseName);
    expect(lease?.spec?.holderIdentity).toBe(leaderIdentity);
    expect(lease?.spec?.leaseDurationSeconds).toBe(6);

    const names = ['alpha', 'beta', 'gamma'];
    for (const name of names) await stack.createCluster(name, { cluster: aSpec() });
    const ready = await Promise.all(names.map((name) => stack?.waitForCondition(name, 'Ready', 'True')));
    expect(new Set(ready.map((c) => c?.status?.clusterId)).size).toBe(3);

    // Each Imply cluster was created exactly once, all by the leader.
    expect(await stack.admin.countsOf('createCluster')).toEqual({ '202': 3 });
    const listed = (await callApi(stack, 'GET', '/clusters')).json as { items?: unknown[] } | unknown[];
    expect(Array.isArray(listed) ? listed.length : listed.items?.length).toBe(3);
    const [leaderMetrics, standbyMetrics] = await Promise.all([scrapeOf(leader), scrapeOf(standby)]);
    expect(leaderMetrics.value('leader_election_master_status', { name: leaseName })).toBe(1);
    expect(standbyMetrics.value('leader_election_master_status', { name: leaseName })).toBe(0);
    expect(leaderMetrics.sum('imply_api_requests_total', { operation: 'createCluster', code: '202' })).toBe(3);
    expect(standbyMetrics.sum('imply_api_requests_total')).toBe(0);
    expect(standbyMetrics.sum('controller_runtime_reconcile_total')).toBe(0);

    // The standby never started its controller: no reconcile line, no lease acquisition.
    expect(reconcileLines(leader).length).toBeGreaterThan(0);
    expect(reconcileLines(standby)).toEqual([]);
    expect(standby.process.logLinesWith('controller started')).toEqual([]);
    expect(standby.process.logLinesWith('leader lease acquired')).toEqual([]);

    // A crash releases nothing: the standby takes over once the lease expires on its clock.
    expect(await leader.process.stop('SIGKILL')).toBeNull();
    const holder = await newHolder(leaseNamespace, leaderIdentity ?? '');
    await eventually(() => `${standby.name} to start its controller\n${logTails()}`, () => (isLeading(standby) ? true : undefined));
    expect(identityOf(standby)).toBe(holder);
    expect((await readLease(leaseNamespace, leaseName))?.spec?.leaseTransitions).toBe((lease?.spec?.leaseTransitions ?? 0) + 1);
    stack.controller = standby.process;

    // Work goes on through the new leader, without re-creating what exists.
    await stack.createCluster('delta', { cluster: aSpec() });
    await stack.waitForCondition('delta', 'Ready', 'True');
    for (const name of names) expect((await stack.getCluster(name)).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(await stack.admin.countsOf('createCluster')).toEqual({ '202': 4 });
    const successorMetrics = await scrapeOf(standby);
    expect(successorMetrics.value('leader_election_master_status', { name: leaseName })).toBe(1);
    expect(successorMetrics.sum('imply_api_requests_total', { operation: 'createCluster' })).toBe(1);
    expect(writesIn(successorMetrics)).toBe(1);
  });

  it('a paused leader that resumes after a successor took over makes no Imply write and exits 1', async () => {
    // How this proves "a deposed leader never writes", although the emulator cannot tell which
    // process sent a request:
    //  - Attribution by arithmetic. Each replica counts its own Imply API attempts in /metrics
    //    (imply_api_requests_total). The old leader's count is scraped right before SIGSTOP, while it
    //    is blocked in a delayed read and has nothing else to do; the successor's count is scraped at
    //    the end. No other client writes to this emulator, so emulator writes − successor writes =
    //    the old leader's writes in its whole life; it must equal the count scraped before the pause.
    //  - A write it would make. SIGSTOP lands while the old leader waits for a (fault-delayed)
    //    getCluster of a pass planning "replicas 2 → 3". Meanwhile the successor applies 3, then the
    //    user changes to 4 and the successor applies 4. On SIGCONT the old pass resumes with its
    //    stale observation (2) and desire (3): unfenced, it would PATCH replicas 3 (a regression that
    //    would also show as a third journal entry and as replicas 3 in the emulator), and it must
    //    exit 1 (leadership lost).
    // What stops that write is shared by two guards: on resume the renew-deadline timer is overdue
    // and exits the process, and the fence (confirmLeadership, asked right before each write) is
    // already false for a pass that gets to its write first. A mutation check (fence replaced by
    // `() => true`) still passed, the timer winning the race, so this test proves the end-to-end
    // property, not the fence on its own.
    stack = await OperatorStack.start({ prefix: 'ha-fence', withoutController: true });
    const leaseNamespace = await freshNamespace('ha-fence-lease');
    const { leader: old, standbys } = await electedAmong(await startReplicas(stack, leaseNamespace, ['a', 'b']));
    const [successor] = standbys;
    if (successor === undefined) throw new Error('no standby');
    stack.controller = old.process;
    const oldIdentity = identityOf(old) ?? '';

    await stack.createCluster('clicks', { cluster: aSpec() });
    const created = await stack.waitForCondition('clicks', 'Ready', 'True');
    const clusterId = created.status?.clusterId ?? '';
    const s = stack;
    await settled(() => s.apiCalls('getCluster')); // the leader is idle (slow poll) before the fault goes in

    await stack.admin.addFault({ kind: 'latency', operations: ['getCluster'], latencyMs: 3_000 });
    await stack.editCluster('clicks', (spec) => {
      spec.cluster.query.replicas = 3;
    });
    await eventually('the old leader to be waiting in the delayed getCluster', async () => ((await s.admin.faults())[0]?.hits ?? 0) >= 1 || undefined, 30_000, 20);
    const oldMetrics = await scrapeOf(old);
    old.process.signal('SIGSTOP');
    await stack.admin.clearFaults();
    const oldWrites = writesIn(oldMetrics);
    expect(oldWrites).toBe(1); // its create
    expect(writesIn(await scrapeOf(successor))).toBe(0);

    const holder = await newHolder(leaseNamespace, oldIdentity);
    await eventually(() => `${successor.name} to start its controller\n${logTails()}`, () => (isLeading(successor) ? true : undefined));
    expect(identityOf(successor)).toBe(holder);
    stack.controller = successor.process;
    const appliedAt = (generation: number) => (c: Awaited<ReturnType<OperatorStack['getCluster']>>) =>
      c.status?.appliedGeneration === generation && c.status.state === 'STARTED' && c.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True' && x.observedGeneration === generation) === true;
    await stack.waitForCluster('clicks', 'replicas 3 applied by the successor', appliedAt(2));
    await stack.editCluster('clicks', (spec) => {
      spec.cluster.query.replicas = 4;
    });
    await stack.waitForCluster('clicks', 'replicas 4 applied by the successor', appliedAt(3));

    old.process.signal('SIGCONT');
    expect(await old.process.exited).toBe(1);
    expect(old.process.logLinesWith('leader election lost').length).toBe(1);
    const totalWrites = await settled(() => s.apiWrites());
    const successorWrites = writesIn(await scrapeOf(successor));

    expect(totalWrites - successorWrites).toBe(oldWrites);
    expect(successorWrites).toBe(2);
    expect((await stack.admin.journal('updateCluster')).map((e) => e.body)).toEqual([{ spec: { query: { replicas: 3 } } }, { spec: { query: { replicas: 4 } } }]);
    const inImply = (await callApi(stack, 'GET', `/clusters/${clusterId}`)).json as { spec: { query: { replicas: number } } };
    expect(inImply.spec.query.replicas).toBe(4);
    expect((await stack.getCluster('clicks')).status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', observedGeneration: 3 });
    expect((await readLease(leaseNamespace, leaseName))?.spec?.holderIdentity).toBe(holder);
  });
});
