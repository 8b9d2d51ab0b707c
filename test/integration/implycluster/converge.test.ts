// The controller as users run it, against a real kube-apiserver and the emulator over HTTP:
// creating, changing, stopping and starting Imply clusters through ImplyCluster resources.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveKubeBinaries } from '../../../src/kube/binaries/kube-binaries.js';
import { pollUntil } from '../../../src/kube/poll-until.js';
import { aSpec } from '../../support/cluster-builders.js';
import { kubeconfigPath } from '../../support/kube.js';
import { OperatorStack } from '../../support/operator-stack.js';

const run = promisify(execFile);
let stack: OperatorStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('ImplyCluster convergence', () => {
  it('creates the Imply cluster and becomes Ready; kubectl wait succeeds', async () => {
    stack = await OperatorStack.start({ prefix: 'create' });
    await stack.createCluster('clicks', { cluster: aSpec() });
    const kubectl = (await resolveKubeBinaries()).kubectl;
    await run(kubectl, ['--kubeconfig', kubeconfigPath(), '-n', stack.namespace, 'wait', '--for=condition=Ready', 'implycluster/clicks', '--timeout=90s']);
    const ready = await stack.getCluster('clicks');
    expect(ready.status).toMatchObject({ state: 'STARTED', resourceVersion: 1, appliedGeneration: 1, observedGeneration: 1 });
    expect(ready.status?.clusterId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ready.metadata.annotations?.['cloud.imply.io/cluster-id']).toBe(ready.status?.clusterId);
    expect(ready.metadata.finalizers).toContain('cloud.imply.io/finalizer');
    expect(ready.status?.servers).toMatchObject({ total: 9, running: 9, byType: { MASTER: 3, QUERY: 2, DATA: 4 } });
    expect(await stack.apiCalls('createCluster')).toBe(1);
  });

  it('scales with exactly one PATCH that carries only the changed field', async () => {
    stack = await OperatorStack.start({ prefix: 'scale' });
    await stack.createCluster('clicks', { cluster: aSpec() });
    await stack.waitForCondition('clicks', 'Ready', 'True');
    await stack.editCluster('clicks', (spec) => {
      spec.cluster.query.replicas = 5;
    });
    const scaled = await stack.waitForCondition('clicks', 'Ready', 'True');
    expect(scaled.status).toMatchObject({ resourceVersion: 2, appliedGeneration: 2, servers: { byType: { QUERY: 5 } } });
    expect(await stack.apiCalls('updateCluster')).toBe(1);
    const patches = (await stack.admin.journal()).filter((entry) => entry.operation === 'updateCluster');
    expect(patches.map((entry) => entry.body)).toEqual([{ spec: { query: { replicas: 5 } } }]);
  });

  it('sends two edits made during UPDATING once, with the latest spec, after the cluster settles', async () => {
    stack = await OperatorStack.start({ prefix: 'edits', emulator: { transitionMs: 300 } });
    await stack.createCluster('clicks', { cluster: aSpec() });
    await stack.waitForCondition('clicks', 'Ready', 'True');
    await stack.admin.setConfig({ transitionMs: 4000 });
    await stack.editCluster('clicks', (spec) => {
      spec.cluster.query.replicas = 3;
    });
    await stack.waitForCluster('clicks', 'UPDATING', (c) => c.status?.state === 'UPDATING');
    await stack.editCluster('clicks', (spec) => {
      spec.cluster.query.replicas = 4;
    });
    await stack.editCluster('clicks', (spec) => {
      spec.cluster.master.replicas = 5;
    });
    await stack.admin.setConfig({ transitionMs: 300 });
    const done = await stack.waitForCluster('clicks', 'generation 4 Ready', (c) => c.metadata.generation === 4 && c.status?.appliedGeneration === 4 && c.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True' && x.observedGeneration === 4) === true);
    expect(done.status?.servers?.byType).toMatchObject({ QUERY: 4, MASTER: 5 });
    expect(await stack.apiCalls('updateCluster')).toBe(2);
    expect((await stack.admin.countsOf('updateCluster'))['409']).toBeUndefined();
  });

  it('stops and starts through desiredState', async () => {
    stack = await OperatorStack.start({ prefix: 'stopstart' });
    await stack.createCluster('clicks', { cluster: aSpec() });
    await stack.waitForCondition('clicks', 'Ready', 'True', 'Available');
    await stack.editCluster('clicks', (spec) => {
      spec.cluster.desiredState = 'STOPPED';
    });
    const stopped = await stack.waitForCondition('clicks', 'Ready', 'True', 'Stopped');
    expect(stopped.status?.state).toBe('STOPPED');
    await stack.editCluster('clicks', (spec) => {
      spec.cluster.desiredState = 'STARTED';
    });
    const started = await stack.waitForCondition('clicks', 'Ready', 'True', 'Available');
    expect(started.status?.state).toBe('STARTED');
    expect(await stack.apiCalls('updateCluster')).toBe(2);
  });

  it('corrects drift made directly through the API, records it in status.drift and emits an event', async () => {
    stack = await OperatorStack.start({ prefix: 'drift', controllerArgs: ['--slow-poll', '1s'] });
    await stack.createCluster('clicks', { cluster: aSpec() });
    const ready = await stack.waitForCondition('clicks', 'Ready', 'True');
    const id = ready.status?.clusterId ?? '';
    const response = await fetch(`${stack.emulator.url}/clusters/${id}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { query: { replicas: 7 } } }),
    });
    expect(response.status).toBe(202);
    const corrected = await stack.waitForCluster('clicks', 'drift recorded and corrected', (c) => (c.status?.drift?.length ?? 0) > 0 && c.status?.resourceVersion === 3 && c.status.state === 'STARTED');
    expect(corrected.status?.drift?.[0]).toMatchObject({ path: 'cluster.query.replicas', desired: '2', observed: '7' });
    expect(corrected.status?.servers?.byType).toMatchObject({ QUERY: 2 });
    const events = await stack.core.listNamespacedEvent({ namespace: stack.namespace });
    expect(events.items.filter((e) => e.reason === 'DriftCorrected')).toHaveLength(1);
  });

  it('makes zero writes to either API in steady state over several poll intervals', async () => {
    stack = await OperatorStack.start({ prefix: 'steady', controllerArgs: ['--slow-poll', '1s'] });
    await stack.createCluster('clicks', { cluster: aSpec() });
    await stack.waitForCondition('clicks', 'Ready', 'True');
    const settled = await stack.waitForCluster('clicks', 'servers summarised', (c) => c.status?.servers?.running === 9);
    const writesBefore = await stack.apiWrites();
    const getsBefore = await stack.apiCalls('getCluster');
    const resourceVersion = settled.metadata.resourceVersion;
    // Several slow polls (1s each, jittered): wait until at least three more reads happened.
    await pollUntil(async () => ((await stack?.apiCalls('getCluster')) ?? 0) >= getsBefore + 3 || undefined, { timeoutMs: 30_000 });
    expect(await stack.apiCalls('getCluster')).toBeGreaterThanOrEqual(getsBefore + 3);
    expect(await stack.apiWrites()).toBe(writesBefore);
    expect((await stack.getCluster('clicks')).metadata.resourceVersion).toBe(resourceVersion);
  });
});
