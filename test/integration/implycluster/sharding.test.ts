// Sharding: controller deployments split the ImplyClusters between them by label selector.
import { afterEach, describe, expect, it } from 'vitest';
import { aSpec } from '../../support/cluster-builders.js';
import { ControllerProcess } from '../../support/controller-process.js';
import { OperatorStack } from '../../support/operator-stack.js';

let stack: OperatorStack | undefined;
let second: ControllerProcess | undefined;
afterEach(async () => {
  await second?.stop();
  await stack?.stop();
  second = undefined;
  stack = undefined;
});

describe('--shard-selector', () => {
  it('reconciles only the ImplyClusters its selector matches; another shard takes the rest', async () => {
    stack = await OperatorStack.start({ prefix: 'shard', withoutController: true });
    stack.startController(['--shard-selector', 'shard=a']);
    await stack.createCluster('in-a', { cluster: aSpec() }, { labels: { shard: 'a' } });
    await stack.createCluster('in-b', { clusterName: 'in-b', cluster: aSpec() }, { labels: { shard: 'b' } });
    await stack.waitForCondition('in-a', 'Ready', 'True');
    expect((await stack.getCluster('in-b')).status).toBeUndefined();
    expect(await stack.apiCalls('createCluster')).toBe(1);
    second = ControllerProcess.start([...stack.controllerArgs, '--shard-selector', 'shard=b']);
    await stack.waitForCondition('in-b', 'Ready', 'True');
    expect(await stack.apiCalls('createCluster')).toBe(2);
  });
});
