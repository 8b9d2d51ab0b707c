// The controller as users run it, against a real kube-apiserver and the emulator over HTTP:
// creating, changing, stopping and starting Imply clusters through ImplyCluster resources.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveKubeBinaries } from '../../../scripts/kube-binaries.js';
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
    await run(kubectl, ['--kubeconfig', kubeconfigPath(), '-n', stack.namespace, 'wait', '--for=condition=Ready', 'implycluster/clicks', '--timeout=60s']);
    const ready = await stack.getCluster('clicks');
    expect(ready.status).toMatchObject({ state: 'STARTED', resourceVersion: 1, appliedGeneration: 1, observedGeneration: 1 });
    expect(ready.status?.clusterId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ready.metadata.annotations?.['cloud.imply.io/cluster-id']).toBe(ready.status?.clusterId);
    expect(ready.status?.servers).toMatchObject({ total: 9, running: 9, byType: { MASTER: 3, QUERY: 2, DATA: 4 } });
    expect(await stack.apiCalls('createCluster')).toBe(1);
  });
});
