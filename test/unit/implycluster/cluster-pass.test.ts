// runClusterPass records the Imply cluster id in status and annotation, and repairs a half-done record.
import { describe, expect, it } from 'vitest';
import { runClusterPass } from '../../../src/implycluster/cluster-pass.js';
import { clusterIdAnnotation, type ImplyCluster } from '../../../src/implycluster/implycluster-resource.js';
import { FakeManagerApi } from '../../support/fake-manager-api.js';
import { anImplyCluster, clusterUid } from '../../support/implycluster-builders.js';
import { aSpec } from '../../support/cluster-builders.js';

async function pass(resource: ImplyCluster, api: FakeManagerApi): Promise<string[]> {
  const recorded: string[] = [];
  await runClusterPass({ resource, api, password: undefined, canWrite: true, signal: new AbortController().signal, recordClusterId: async (id) => void recorded.push(id) });
  return recorded;
}

describe('runClusterPass recording the cluster id', () => {
  it('records the id once right after create', async () => {
    const api = new FakeManagerApi();
    const recorded = await pass(anImplyCluster(), api);
    const [created] = await api.listClusters();
    expect(recorded).toEqual([created?.metadata.uid]);
  });

  it('re-records an id found in status whose annotation is missing (a crash between the two patches)', async () => {
    const api = new FakeManagerApi();
    const created = await api.createCluster({ metadata: { name: 'clicks-prod' }, spec: { ...aSpec(), awsTags: [{ name: 'imply-operator/owner', value: clusterUid }] } });
    const resource = { ...anImplyCluster(), status: { clusterId: created.metadata.uid } };
    expect(await pass(resource, api)).toEqual([created.metadata.uid]);
    expect(api.callCount('createCluster')).toBe(1);
  });

  it('records nothing when status and annotation both hold the id', async () => {
    const api = new FakeManagerApi();
    const created = await api.createCluster({ metadata: { name: 'clicks-prod' }, spec: { ...aSpec(), awsTags: [{ name: 'imply-operator/owner', value: clusterUid }] } });
    const resource = { ...anImplyCluster({}, { annotations: { [clusterIdAnnotation]: created.metadata.uid } }), status: { clusterId: created.metadata.uid } };
    expect(await pass(resource, api)).toEqual([]);
  });
});
