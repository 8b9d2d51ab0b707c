// Fifty ImplyClusters applied at once (think Argo CD syncing a whole app of clusters): every one
// converges to Ready through a concurrent controller, with exactly one Imply cluster each and no
// duplicate create; afterwards slow polls read and write nothing, neither to the API nor to status.
import { afterEach, describe, expect, it } from 'vitest';
import { group, implyClusterPlural, version, type ImplyCluster } from '../../../src/implycluster/implycluster-resource.js';
import { pollUntil } from '../../../src/kube/poll-until.js';
import { aSpec } from '../../support/cluster-builders.js';
import { callApi, OperatorStack } from '../../support/operator-stack.js';

const count = 50;

let stack: OperatorStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

async function listResources(s: OperatorStack): Promise<ImplyCluster[]> {
  return ((await s.custom.listNamespacedCustomObject({ group, version, namespace: s.namespace, plural: implyClusterPlural })) as { items: ImplyCluster[] }).items;
}

function isReady(c: ImplyCluster): boolean {
  const ready = c.status?.conditions?.find((x) => x.type === 'Ready');
  return ready?.status === 'True' && ready.observedGeneration === c.metadata.generation;
}

describe('many ImplyClusters at once', () => {
  it(`${count} resources created together converge to Ready with exactly ${count} Imply clusters, then stay quiet`, async () => {
    stack = await OperatorStack.start({ prefix: 'many', emulator: { transitionMs: 200 }, controllerArgs: ['--concurrency', '8', '--slow-poll', '2s'] });
    const s = stack;
    const names = Array.from({ length: count }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const small = aSpec({ master: { replicas: 1, instanceType: 'm5.large' }, query: { replicas: 1, instanceType: 'c5.2xlarge' }, data: { tiers: [{ name: 'hot', replicas: 1, instanceType: 'i3.2xlarge' }] } });
    await Promise.all(names.map((name) => s.createCluster(name, { cluster: small })));

    let last: ImplyCluster[] = [];
    const converged = await pollUntil(async () => {
      last = await listResources(s);
      return last.length === count && last.every(isReady) ? last : undefined;
    }, { timeoutMs: 240_000, intervalMs: 500 });
    expect(converged, `${last.filter(isReady).length}/${count} Ready\n${s.controller?.output.split('\n').slice(-20).join('\n')}`).toBeDefined();
    const resources = converged as ImplyCluster[];

    const remote = (await callApi(s, 'GET', '/clusters')).json as { metadata: { name: string; uid: string }; status: { state: string } }[];
    expect(remote).toHaveLength(count);
    expect(new Set(remote.map((c) => c.metadata.name)).size).toBe(count);
    expect(remote.every((c) => c.status.state === 'STARTED')).toBe(true);
    expect(await s.admin.countsOf('createCluster')).toEqual({ '202': count });
    const ids = resources.map((r) => r.status?.clusterId);
    expect(new Set(ids).size).toBe(count);
    expect(new Set(ids)).toEqual(new Set(remote.map((c) => c.metadata.uid)));
    for (const r of resources) {
      expect(r.metadata.annotations?.['cloud.imply.io/cluster-id']).toBe(r.status?.clusterId);
      expect(remote.find((c) => c.metadata.uid === r.status?.clusterId)?.metadata.name).toBe(`${s.namespace}-${r.metadata.name}`);
    }

    // Settled: the next slow polls (2 s, jittered) read every cluster at least twice and change nothing.
    const settled = await pollUntil(async () => ((await listResources(s)).every((r) => r.status?.lastSyncTime !== undefined && isReady(r)) ? true : undefined), { timeoutMs: 10_000 });
    expect(settled).toBe(true);
    const versions = new Map((await listResources(s)).map((r) => [r.metadata.name, r.metadata.resourceVersion]));
    await s.admin.resetRequests();
    const polled = await pollUntil(async () => ((await s.apiCalls('getCluster')) >= 2 * count ? true : undefined), { timeoutMs: 60_000, intervalMs: 200 });
    expect(polled, 'slow polls never read the clusters').toBe(true);
    expect(await s.apiWrites()).toBe(0);
    expect(await s.apiCalls('listClusters')).toBe(0);
    const after = await listResources(s);
    expect(after.filter((r) => r.metadata.resourceVersion !== versions.get(r.metadata.name)).map((r) => r.metadata.name)).toEqual([]);
  }, 300_000);
});
