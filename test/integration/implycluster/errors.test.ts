// How API failures read on the resource, and that the controller recovers from each without a restart.
import { afterEach, describe, expect, it } from 'vitest';
import { aSpec } from '../../support/cluster-builders.js';
import { OperatorStack } from '../../support/operator-stack.js';

let stack: OperatorStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('ImplyCluster errors', () => {
  it('reports a wrong token as Unauthorized and recovers when the Secret is fixed, without a restart', async () => {
    stack = await OperatorStack.start({ prefix: 'token' });
    await stack.core.replaceNamespacedSecret({ name: 'imply-credentials', namespace: stack.namespace, body: { metadata: { name: 'imply-credentials' }, stringData: { token: 'wrong-token' } } });
    await stack.createCluster('clicks', { cluster: aSpec() });
    const refused = await stack.waitForCondition('clicks', 'Synced', 'False', 'Unauthorized');
    expect(refused.status?.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason: 'Unauthorized' });
    expect(JSON.stringify(refused.status)).not.toContain('wrong-token');
    expect(stack.controller?.output).not.toContain('wrong-token');
    await stack.core.replaceNamespacedSecret({ name: 'imply-credentials', namespace: stack.namespace, body: { metadata: { name: 'imply-credentials' }, stringData: { token: 'test-token' } } });
    await stack.waitForCondition('clicks', 'Ready', 'True');
    expect(await stack.apiCalls('createCluster')).toBe(1);
  });

  it('reports an API outage as ApiUnavailable and converges when the API returns', async () => {
    stack = await OperatorStack.start({ prefix: 'outage' });
    await stack.admin.addFault({ kind: 'error', status: 503 });
    await stack.createCluster('clicks', { cluster: aSpec() });
    const down = await stack.waitForCondition('clicks', 'Synced', 'False', 'ApiUnavailable');
    expect(down.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'Unavailable' });
    await stack.admin.clearFaults();
    await stack.waitForCondition('clicks', 'Ready', 'True');
    expect((await stack.admin.countsOf('createCluster'))['202']).toBe(1);
    const clusters = (await (await fetch(`${stack.emulator.url}/clusters`, { headers: { authorization: 'Bearer test-token' } })).json()) as unknown[];
    expect(clusters).toHaveLength(1);
  });
});
