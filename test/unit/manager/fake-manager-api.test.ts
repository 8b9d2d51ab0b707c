// The fake's test hooks: what the controller's unit tests use beyond the contract.
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../../src/manager/errors.js';
import { aSpec } from '../../support/cluster-builders.js';
import { FakeManagerApi } from '../../support/fake-manager-api.js';

describe('FakeManagerApi hooks', () => {
  it('keeps transitions open until settle() by default', async () => {
    const api = new FakeManagerApi();
    const { metadata } = await api.createCluster({ metadata: { name: 'c' }, spec: aSpec() });
    for (let i = 0; i < 5; i++) expect((await api.getCluster(metadata.uid))?.status.state).toBe('STARTING');
    api.settle(metadata.uid);
    expect((await api.getCluster(metadata.uid))?.status.state).toBe('STARTED');
    expect((await api.listServers(metadata.uid)).every((s) => s.state === 'RUNNING')).toBe(true);
  });

  it('settles after the configured number of reads', async () => {
    const api = new FakeManagerApi({ settleAfterReads: 3 });
    const { metadata } = await api.createCluster({ metadata: { name: 'c' }, spec: aSpec() });
    const states = [];
    for (let i = 0; i < 3; i++) states.push((await api.getCluster(metadata.uid))?.status.state);
    expect(states).toEqual(['STARTING', 'STARTING', 'STARTED']);
  });

  it('throws an injected error once, counting the call, with no effect', async () => {
    const api = new FakeManagerApi();
    api.failNext('createCluster', new UnavailableError('injected', 1000));
    await expect(api.createCluster({ metadata: { name: 'c' }, spec: aSpec() })).rejects.toMatchObject({ code: 'Unavailable' });
    expect(await api.listClusters()).toEqual([]);
    await api.createCluster({ metadata: { name: 'c' }, spec: aSpec() });
    expect(api.callCount('createCluster')).toBe(2);
    expect(api.callCount('listClusters')).toBe(1);
    expect(api.writeCount()).toBe(2);
  });

  it('fails a cluster, after which a spec change goes through UPDATING', async () => {
    const api = new FakeManagerApi();
    const { metadata } = await api.createCluster({ metadata: { name: 'c' }, spec: aSpec() });
    api.fail(metadata.uid);
    expect((await api.getCluster(metadata.uid))?.status.state).toBe('FAILED');
    expect((await api.updateCluster(metadata.uid, { spec: { version: '2022.01' } })).status.state).toBe('UPDATING');
  });

  it('keeps the write-only password, and keeps it when an overwrite omits it', async () => {
    const api = new FakeManagerApi();
    const store = { type: 'postgresql', host: 'db', port: 5432, database: 'd', user: 'u', password: 'pw-1234' } as const;
    const { metadata } = await api.createCluster({ metadata: { name: 'c' }, spec: aSpec({ metadataStore: store, desiredState: 'STOPPED' }) });
    expect(api.storedPassword(metadata.uid)).toBe('pw-1234');
    const { password: _omitted, ...withoutPassword } = store;
    const same = await api.overwriteCluster(metadata.uid, { metadata: { name: 'c' }, spec: aSpec({ metadataStore: withoutPassword, desiredState: 'STOPPED' }) });
    expect(same.status.resourceVersion).toBe(1);
    expect(api.storedPassword(metadata.uid)).toBe('pw-1234');
  });

  it('honours an aborted signal', async () => {
    const api = new FakeManagerApi();
    await expect(api.listClusters({ signal: AbortSignal.abort(new Error('stop')) })).rejects.toThrow('stop');
  });
});
