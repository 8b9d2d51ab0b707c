// Lifecycle safety, with the controller as users run it: deletion policies, blocked deletion and
// the release annotation, adoption, ObserveOnly, pause, password rotation and name conflicts.
import { afterEach, describe, expect, it } from 'vitest';
import { group, implyClusterPlural, version } from '../../../src/implycluster/implycluster-resource.js';
import { pollUntil } from '../../../src/kube/poll-until.js';
import { aSpec } from '../../support/cluster-builders.js';
import { callApi, OperatorStack } from '../../support/operator-stack.js';

let stack: OperatorStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

async function remoteClusters(s: OperatorStack): Promise<{ metadata: { name: string; uid: string }; status: { state: string } }[]> {
  return (await callApi(s, 'GET', '/clusters')).json as { metadata: { name: string; uid: string }; status: { state: string } }[];
}

async function deleteResource(s: OperatorStack, name: string): Promise<void> {
  await s.custom.deleteNamespacedCustomObject({ group, version, namespace: s.namespace, plural: implyClusterPlural, name });
}

async function waitGone(s: OperatorStack, name: string, timeoutMs = 60_000): Promise<void> {
  const gone = await pollUntil(async () => (await s.getCluster(name).then(() => undefined, (e: { code?: number }) => (e.code === 404 ? true : undefined))), { timeoutMs });
  expect(gone, `ImplyCluster ${name} still exists\n${s.controller?.output.split('\n').slice(-20).join('\n')}`).toBe(true);
}

async function annotate(s: OperatorStack, name: string, annotations: Record<string, string | null>): Promise<void> {
  const { PatchStrategy, setHeaderOptions } = await import('@kubernetes/client-node');
  await s.custom.patchNamespacedCustomObject(
    { group, version, namespace: s.namespace, plural: implyClusterPlural, name, body: { metadata: { annotations } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

describe('deletion', () => {
  it('Delete: stops the Imply cluster, deletes it, waits until it is gone, then releases the resource', async () => {
    stack = await OperatorStack.start({ prefix: 'del' });
    await stack.createCluster('clicks', { cluster: aSpec() });
    await stack.waitForCondition('clicks', 'Ready', 'True');
    await deleteResource(stack, 'clicks');
    await waitGone(stack, 'clicks');
    expect(await remoteClusters(stack)).toEqual([]);
    expect(await stack.apiCalls('updateCluster')).toBe(1);
    expect(await stack.apiCalls('deleteCluster')).toBe(1);
  });

  it('Orphan: releases the resource and leaves the Imply cluster running', async () => {
    stack = await OperatorStack.start({ prefix: 'orphan' });
    await stack.createCluster('clicks', { deletionPolicy: 'Orphan', cluster: aSpec() });
    await stack.waitForCondition('clicks', 'Ready', 'True');
    await deleteResource(stack, 'clicks');
    await waitGone(stack, 'clicks');
    expect((await remoteClusters(stack)).map((c) => c.status.state)).toEqual(['STARTED']);
    expect(await stack.apiWrites()).toBe(1);
  });

  it('waits for an UPDATING cluster before stopping it, without a 409 storm', async () => {
    stack = await OperatorStack.start({ prefix: 'delupd' });
    await stack.createCluster('clicks', { cluster: aSpec() });
    await stack.waitForCondition('clicks', 'Ready', 'True');
    await stack.admin.setConfig({ transitionMs: 3000 });
    await stack.editCluster('clicks', (spec) => {
      spec.cluster.query.replicas = 4;
    });
    await stack.waitForCluster('clicks', 'UPDATING', (c) => c.status?.state === 'UPDATING');
    await deleteResource(stack, 'clicks');
    await stack.waitForCondition('clicks', 'Ready', 'False', 'Deleting');
    await stack.admin.setConfig({ transitionMs: 300 });
    await waitGone(stack, 'clicks');
    expect(await remoteClusters(stack)).toEqual([]);
    const conflicts = ['updateCluster', 'deleteCluster'].map(async (op) => (await stack?.admin.countsOf(op))?.['409'] ?? 0);
    expect((await Promise.all(conflicts)).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
  });

  it('reports a deletion blocked by a missing credentials Secret, and the release annotation frees it', async () => {
    stack = await OperatorStack.start({ prefix: 'delblk', controllerArgs: ['--deletion-timeout', '2s'] });
    await stack.createCluster('clicks', { cluster: aSpec() });
    await stack.waitForCondition('clicks', 'Ready', 'True');
    await stack.core.deleteNamespacedSecret({ name: 'imply-credentials', namespace: stack.namespace });
    await deleteResource(stack, 'clicks');
    const stalled = await stack.waitForCondition('clicks', 'Stalled', 'True', 'DeletionBlocked');
    expect(stalled.status?.conditions?.find((c) => c.type === 'Stalled')?.message).toContain('cloud.imply.io/release');
    const events = await stack.core.listNamespacedEvent({ namespace: stack.namespace });
    expect(events.items.some((e) => e.reason === 'DeletionBlocked')).toBe(true);
    await annotate(stack, 'clicks', { 'cloud.imply.io/release': 'true' });
    await waitGone(stack, 'clicks');
    expect((await remoteClusters(stack)).map((c) => c.status.state)).toEqual(['STARTED']);
  });
});

describe('adoption, observation and pause', () => {
  it('adopts an existing cluster named by annotation, then converges it to the spec', async () => {
    stack = await OperatorStack.start({ prefix: 'adopt' });
    const created = await callApi(stack, 'POST', '/clusters', { metadata: { name: 'legacy' }, spec: aSpec() });
    const id = (created.json as { metadata: { uid: string } }).metadata.uid;
    await pollUntil(async () => ((await remoteClusters(stack as OperatorStack))[0]?.status.state === 'STARTED' ? true : undefined), { timeoutMs: 30_000 });
    await stack.admin.resetRequests();
    await stack.createCluster('legacy', { clusterName: 'legacy', cluster: aSpec({ query: { replicas: 3, instanceType: 'c5.2xlarge' } }) }, { annotations: { 'cloud.imply.io/cluster-id': id } });
    const adopted = await stack.waitForCluster('legacy', 'converged', (c) => c.status?.clusterId === id && c.status.servers?.byType?.['QUERY'] === 3 && c.status.state === 'STARTED');
    expect(adopted.status?.clusterId).toBe(id);
    expect(await stack.apiCalls('createCluster')).toBe(0);
    expect(await remoteClusters(stack)).toHaveLength(1);
  });

  it('ObserveOnly reports state and drift without a single write', async () => {
    stack = await OperatorStack.start({ prefix: 'observe' });
    const created = await callApi(stack, 'POST', '/clusters', { metadata: { name: 'watched' }, spec: aSpec() });
    const id = (created.json as { metadata: { uid: string } }).metadata.uid;
    await stack.admin.resetRequests();
    await stack.createCluster('watched', { managementPolicy: 'ObserveOnly', clusterName: 'watched', cluster: aSpec({ version: '2022.01' }) }, { annotations: { 'cloud.imply.io/cluster-id': id } });
    const observed = await stack.waitForCluster('watched', 'state STARTED reported', (c) => c.status?.state === 'STARTED' && c.status.clusterId === id);
    expect(observed.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'Updating' });
    expect(observed.metadata.finalizers ?? []).toEqual([]);
    expect(await stack.apiWrites()).toBe(0);
  });

  it('pause stops all writes with Synced=False ReconcilePaused; removing it resumes', async () => {
    stack = await OperatorStack.start({ prefix: 'pause' });
    await stack.createCluster('clicks', { cluster: aSpec() });
    await stack.waitForCondition('clicks', 'Ready', 'True');
    await annotate(stack, 'clicks', { 'cloud.imply.io/paused': 'true' });
    await stack.waitForCondition('clicks', 'Synced', 'False', 'ReconcilePaused');
    await stack.editCluster('clicks', (spec) => {
      spec.cluster.query.replicas = 6;
    });
    await stack.waitForCluster('clicks', 'generation 2 observed while paused', (c) => c.status?.observedGeneration === 2);
    expect(await stack.apiCalls('updateCluster')).toBe(0);
    await annotate(stack, 'clicks', { 'cloud.imply.io/paused': null });
    const resumed = await stack.waitForCondition('clicks', 'Ready', 'True');
    expect(resumed.status?.servers?.byType).toMatchObject({ QUERY: 6 });
    expect(await stack.apiCalls('updateCluster')).toBe(1);
    const events = await stack.core.listNamespacedEvent({ namespace: stack.namespace });
    expect(events.items.some((e) => e.reason === 'ReconcilePaused')).toBe(true);
  });
});

describe('secrets and names', () => {
  it('sends the metadata store password from its Secret, never shows it, and resends it once when rotated', async () => {
    stack = await OperatorStack.start({ prefix: 'pwd' });
    const secret = (password: string) => ({ metadata: { name: 'clicks-db' }, stringData: { password } });
    await stack.core.createNamespacedSecret({ namespace: stack.namespace, body: secret('first-Pa55word') });
    const metadataStore = { type: 'postgresql' as const, host: 'db.internal', port: 5432, database: 'druid', user: 'druid', passwordSecretRef: { name: 'clicks-db', key: 'password' } };
    await stack.createCluster('clicks', { cluster: { ...aSpec(), metadataStore } });
    const ready = await stack.waitForCondition('clicks', 'Ready', 'True');
    expect(JSON.stringify(ready)).not.toContain('first-Pa55word');
    await stack.core.replaceNamespacedSecret({ name: 'clicks-db', namespace: stack.namespace, body: secret('second-Pa55word') });
    await stack.waitForCluster('clicks', 'password resent', (c) => c.status?.resourceVersion === 2 && c.status.state === 'STARTED');
    const patches = await stack.admin.journal('updateCluster');
    expect(patches.map((p) => p.body)).toEqual([{ spec: { metadataStore: { password: '[redacted]' } } }]);
    const events = await stack.core.listNamespacedEvent({ namespace: stack.namespace });
    expect(JSON.stringify(events.items)).not.toMatch(/Pa55word/);
    expect(stack.controller?.output).not.toMatch(/Pa55word/);
  });

  it('refuses a name held by a cluster it does not own: Synced=False Conflict, no write', async () => {
    stack = await OperatorStack.start({ prefix: 'conflict' });
    await callApi(stack, 'POST', '/clusters', { metadata: { name: 'taken' }, spec: aSpec() });
    await stack.admin.resetRequests();
    await stack.createCluster('mine', { clusterName: 'taken', cluster: aSpec() });
    await stack.waitForCondition('mine', 'Synced', 'False', 'Conflict');
    expect(await stack.apiWrites()).toBe(0);
  });

  it('rejects a value the CRD accepts but the API refuses: Stalled with the details, no retry until the spec changes', async () => {
    stack = await OperatorStack.start({ prefix: 'badarg' });
    await stack.createCluster('clicks', { cluster: aSpec({ version: '1999.01' }) });
    const stalled = await stack.waitForCondition('clicks', 'Stalled', 'True', 'BadArgument');
    expect(stalled.status?.conditions?.find((c) => c.type === 'Synced')?.message).toContain('spec.version: Version [1999.01] is not available');
    const attempts = await stack.apiCalls('createCluster');
    await stack.waitForCluster('clicks', 'a later poll', () => true);
    await pollUntil(async () => ((await stack?.apiCalls('getCluster')) ?? 0) > 0 || (await stack?.apiCalls('listClusters') ?? 0) > 2 ? true : undefined, { timeoutMs: 10_000 });
    expect(await stack.apiCalls('createCluster')).toBe(attempts);
    await stack.editCluster('clicks', (spec) => {
      spec.cluster.version = '2024.01';
    });
    await stack.waitForCondition('clicks', 'Ready', 'True');
  });
});
