// "No duplicates, ever": the controller process is SIGKILLed at several instants of a create and of a
// deletion, then restarted. Each time exactly one Imply cluster exists (none after deletion), the
// resource ends Ready (or gone), and createCluster was answered 202 exactly once per resource.
// A latency fault delays a request before its handler runs, and the handler still runs after the
// controller died: that is how these tests land a kill inside a write whose answer never arrives.
import { afterEach, describe, expect, it } from 'vitest';
import { group, implyClusterPlural, version, type ImplyCluster } from '../../../src/implycluster/implycluster-resource.js';
import { pollUntil } from '../../../src/kube/poll-until.js';
import { aSpec } from '../../support/cluster-builders.js';
import { callApi, OperatorStack } from '../../support/operator-stack.js';

const wait = 90_000;

let stack: OperatorStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

interface RemoteCluster {
  metadata: { name: string; uid: string };
  spec: { awsTags?: { name: string; value: string }[] };
  status: { state: string };
}

async function remoteClusters(s: OperatorStack): Promise<RemoteCluster[]> {
  const { status, json } = await callApi(s, 'GET', '/clusters');
  expect(status).toBe(200);
  return json as RemoteCluster[];
}

/** Polls the emulator until `predicate` holds for its clusters. */
async function waitForRemote(s: OperatorStack, what: string, predicate: (clusters: RemoteCluster[]) => boolean): Promise<RemoteCluster[]> {
  let last: RemoteCluster[] = [];
  const found = await pollUntil(async () => {
    last = await remoteClusters(s);
    return predicate(last) ? last : undefined;
  }, { timeoutMs: wait, intervalMs: 50 });
  expect(found, `emulator never had ${what}; clusters: ${JSON.stringify(last.map((c) => [c.metadata.name, c.status.state]))}`).toBeDefined();
  return found as RemoteCluster[];
}

/** Waits until the (uncounted) latency fault on `operation` has caught a request, i.e. the request sits in its delay. */
async function waitForDelayed(s: OperatorStack, operation: string): Promise<void> {
  const hit = await pollUntil(async () => ((await s.admin.faults()).some((f) => f.operations?.includes(operation) && f.hits >= 1) ? true : undefined), { timeoutMs: wait, intervalMs: 10 });
  expect(hit, `no ${operation} request reached the latency fault\n${s.controller?.output.split('\n').slice(-20).join('\n')}`).toBe(true);
}

/** SIGKILLs the controller: no cleanup, no lease release, in-flight requests abandoned. */
async function crash(s: OperatorStack): Promise<void> {
  await s.controller?.stop('SIGKILL');
}

async function created(s: OperatorStack): Promise<Record<string, number>> {
  return s.admin.countsOf('createCluster');
}

async function deleteResource(s: OperatorStack, name: string): Promise<void> {
  await s.custom.deleteNamespacedCustomObject({ group, version, namespace: s.namespace, plural: implyClusterPlural, name });
}

async function waitGone(s: OperatorStack, name: string): Promise<void> {
  const gone = await pollUntil(async () => s.getCluster(name).then(() => undefined, (e: { code?: number }) => (e.code === 404 ? true : undefined)), { timeoutMs: wait });
  expect(gone, `ImplyCluster ${name} still exists\n${s.controller?.output.split('\n').slice(-20).join('\n')}`).toBe(true);
}

function isReady(c: ImplyCluster): boolean {
  return c.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false;
}

/** After the restart: Ready, one Imply cluster carrying this resource's owner tag, its id recorded in status and annotation. */
async function expectReadyWithOneCluster(s: OperatorStack, name: string, clusters: number): Promise<void> {
  const ready = await s.waitForCondition(name, 'Ready', 'True', undefined, wait);
  const remote = await remoteClusters(s);
  expect(remote).toHaveLength(clusters);
  expect(new Set(remote.map((c) => c.metadata.name)).size).toBe(clusters);
  const own = remote.filter((c) => (c.spec.awsTags ?? []).some((t) => t.name === 'imply-operator/owner' && t.value === ready.metadata.uid));
  expect(own).toHaveLength(1);
  expect(ready.status?.clusterId).toBe(own[0]?.metadata.uid);
  expect(ready.metadata.annotations?.['cloud.imply.io/cluster-id']).toBe(own[0]?.metadata.uid);
  expect(await created(s)).toEqual({ '202': clusters });
}

describe('a controller killed during create recreates nothing on restart', () => {
  it('killed before create (while listing clusters): the restarted controller creates exactly one', async () => {
    stack = await OperatorStack.start({ prefix: 'crash-list' });
    await stack.admin.addFault({ kind: 'latency', operations: ['listClusters'], latencyMs: 2000 });
    await stack.createCluster('clicks', { cluster: aSpec() });
    await waitForDelayed(stack, 'listClusters');
    await crash(stack);
    await stack.admin.clearFaults();
    expect(await stack.apiCalls('createCluster')).toBe(0);
    stack.startController();
    await expectReadyWithOneCluster(stack, 'clicks', 1);
  });

  it('killed while createCluster is in flight: the cluster appears after the crash, and the restart finds it instead of creating another', async () => {
    stack = await OperatorStack.start({ prefix: 'crash-create' });
    await stack.admin.addFault({ kind: 'latency', operations: ['createCluster'], latencyMs: 2000 });
    await stack.createCluster('clicks', { cluster: aSpec() });
    await waitForDelayed(stack, 'createCluster');
    await crash(stack);
    await stack.admin.clearFaults();
    await waitForRemote(stack, 'the delayed cluster', (clusters) => clusters.length === 1);
    const beforeRestart = await stack.getCluster('clicks');
    expect(beforeRestart.status?.clusterId).toBeUndefined(); // the controller never learned the id
    expect(beforeRestart.metadata.annotations?.['cloud.imply.io/cluster-id']).toBeUndefined();
    stack.startController();
    await expectReadyWithOneCluster(stack, 'clicks', 1);
  });

  it('killed right after createCluster answered, before, between and after recording the id in status and annotation', async ({ annotate }) => {
    stack = await OperatorStack.start({ prefix: 'crash-race' });
    const s = stack;
    // Each round kills at the first sign of a later step; where the kill lands exactly is racy, and every landing must be safe.
    const triggers: [string, (round: number, name: string) => Promise<boolean>][] = [
      ['createCluster answered', async (round) => (await s.admin.journal('createCluster')).length === round],
      ['status.clusterId written', async (_round, name) => (await s.getCluster(name)).status?.clusterId !== undefined],
      ['annotation written', async (_round, name) => (await s.getCluster(name)).metadata.annotations?.['cloud.imply.io/cluster-id'] !== undefined],
    ];
    const landings: string[] = [];
    for (const [index, [trigger, seen]] of triggers.entries()) {
      const round = index + 1;
      const name = `race-${round}`;
      await s.createCluster(name, { cluster: aSpec() });
      const fired = await pollUntil(async () => ((await seen(round, name)) ? true : undefined), { timeoutMs: wait, intervalMs: 10 });
      expect(fired, `${name}: never saw ${trigger}`).toBe(true);
      await crash(s);
      const atCrash = await s.getCluster(name);
      landings.push(`${name} killed on ${trigger}: status id ${atCrash.status?.clusterId === undefined ? 'absent' : 'set'}, annotation ${atCrash.metadata.annotations?.['cloud.imply.io/cluster-id'] === undefined ? 'absent' : 'set'}, Ready ${isReady(atCrash) ? 'yes' : 'no'}`);
      s.startController();
      await expectReadyWithOneCluster(s, name, round);
    }
    await annotate(landings.join('; '));
  });

  it('killed after the id was recorded (while listing servers): the restart goes on with the recorded cluster', async () => {
    stack = await OperatorStack.start({ prefix: 'crash-servers' });
    await stack.admin.addFault({ kind: 'latency', operations: ['listServers'], latencyMs: 2000 });
    await stack.createCluster('clicks', { cluster: aSpec() });
    await waitForDelayed(stack, 'listServers');
    await crash(stack);
    await stack.admin.clearFaults();
    const atCrash = await stack.getCluster('clicks');
    const [only] = await remoteClusters(stack);
    expect(atCrash.status?.clusterId).toBe(only?.metadata.uid);
    stack.startController();
    await expectReadyWithOneCluster(stack, 'clicks', 1);
  });
});

describe('a controller killed during deletion finishes it on restart', () => {
  async function readyThenDelete(prefix: string, delayed: 'updateCluster' | 'deleteCluster'): Promise<OperatorStack> {
    const s = await OperatorStack.start({ prefix });
    await s.createCluster('clicks', { cluster: aSpec() });
    await s.waitForCondition('clicks', 'Ready', 'True', undefined, wait);
    await s.admin.addFault({ kind: 'latency', operations: [delayed], latencyMs: 2000 });
    await deleteResource(s, 'clicks');
    await waitForDelayed(s, delayed);
    await crash(s);
    await s.admin.clearFaults();
    return s;
  }

  it('killed while the stop is in flight: the restart deletes the stopped cluster once and releases the resource', async () => {
    stack = await readyThenDelete('crash-stop', 'updateCluster');
    await waitForRemote(stack, 'the delayed stop applied', (clusters) => clusters.length === 1 && clusters[0]?.status.state !== 'STARTED');
    stack.startController();
    await waitGone(stack, 'clicks');
    expect(await remoteClusters(stack)).toEqual([]);
    expect(await stack.admin.countsOf('updateCluster')).toEqual({ '202': 1 });
    expect(await stack.admin.countsOf('deleteCluster')).toEqual({ '202': 1 });
    expect(await created(stack)).toEqual({ '202': 1 });
  });

  it('killed while the delete is in flight: the restart sees the cluster going or gone, deletes nothing twice and releases the resource', async () => {
    stack = await readyThenDelete('crash-delete', 'deleteCluster');
    await waitForRemote(stack, 'the delayed delete applied', (clusters) => clusters.length === 0 || clusters[0]?.status.state !== 'STOPPED');
    stack.startController();
    await waitGone(stack, 'clicks');
    expect(await remoteClusters(stack)).toEqual([]);
    expect(await stack.admin.countsOf('updateCluster')).toEqual({ '202': 1 });
    expect(await stack.admin.countsOf('deleteCluster')).toEqual({ '202': 1 });
    expect(await created(stack)).toEqual({ '202': 1 });
  });
});
