// The one contract suite of ManagerApi (shared/docs/manager-api.md): registered once against the
// in-memory FakeManagerApi (unit project) and once against HttpManagerApi + the emulator
// (integration project), so the fake the controller's unit tests rely on cannot drift.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManagerApi } from '../../src/manager/manager-api.js';
import { transitionalStates, type Cluster, type ClusterSpec, type ObservedCluster } from '../../src/schema/index.js';
import { aSpec } from './cluster-builders.js';

/** What a variant of the suite provides, fresh for every test. */
export interface ManagerApiHarness {
  api: ManagerApi;
  /** Waits a little between polls (real time for HTTP; nothing for the fake, which settles as it is read). */
  pause(): Promise<void>;
  /** Makes transitions that begin from now on outlast the test (unless it polls them to the end on the fake). */
  holdTransitions(): Promise<void>;
  close(): Promise<void>;
}

/** Polls at most this many times for a transition to end. */
const maxPolls = 2000;

/** Registers the ManagerApi contract tests for one implementation. */
export function describeManagerApiContract(name: string, factory: () => Promise<ManagerApiHarness>): void {
  describe(`ManagerApi contract: ${name}`, () => {
    let harness: ManagerApiHarness;
    let api: ManagerApi;
    beforeEach(async () => {
      harness = await factory();
      api = harness.api;
    });
    afterEach(async () => harness.close());

    /** Polls getCluster until the cluster leaves its transitional state (or is gone). */
    async function settled(uid: string): Promise<ObservedCluster | undefined> {
      for (let i = 0; i < maxPolls; i++) {
        const cluster = await api.getCluster(uid);
        if (cluster === undefined || !transitionalStates.includes(cluster.status.state)) return cluster;
        await harness.pause();
      }
      throw new Error(`cluster ${uid} did not settle after ${maxPolls} polls`);
    }

    async function created(spec: ClusterSpec = aSpec(), clusterName = 'clicks'): Promise<ObservedCluster> {
      const cluster = await api.createCluster({ metadata: { name: clusterName }, spec });
      expect(await settled(cluster.metadata.uid)).toBeDefined();
      return (await api.getCluster(cluster.metadata.uid)) as ObservedCluster;
    }

    it('creates a cluster that starts, with server-assigned identity at resourceVersion 1', async () => {
      const cluster = await api.createCluster({ metadata: { name: 'clicks' }, spec: aSpec() });
      expect(cluster.metadata).toMatchObject({ name: 'clicks', uid: expect.any(String), creationTimestamp: expect.any(String) });
      expect(cluster.status).toMatchObject({ state: 'STARTING', resourceVersion: 1 });
      expect(cluster.spec).toMatchObject({ desiredState: 'STARTED', encryptVolumes: true, metadataStore: { type: 'managed' } });
      expect((await settled(cluster.metadata.uid))?.status).toMatchObject({ state: 'STARTED', resourceVersion: 1 });
      expect((await api.listClusters()).map((c) => c.metadata.uid)).toEqual([cluster.metadata.uid]);
    });

    it('creates a cluster with desiredState STOPPED directly STOPPED', async () => {
      const cluster = await api.createCluster({ metadata: { name: 'cold' }, spec: aSpec({ desiredState: 'STOPPED' }) });
      expect(cluster.status).toMatchObject({ state: 'STOPPED', resourceVersion: 1 });
    });

    it('refuses a second cluster with the same name', async () => {
      await api.createCluster({ metadata: { name: 'clicks' }, spec: aSpec() });
      await expect(api.createCluster({ metadata: { name: 'clicks' }, spec: aSpec() })).rejects.toMatchObject({ code: 'AlreadyExists' });
    });

    it('answers invalid input with BadArgument and one detail per problem', async () => {
      const body = { metadata: {}, spec: aSpec({ deepStorage: { path: 'hdfs://nope' } }) } as unknown as Cluster;
      const error: unknown = await api.createCluster(body).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'BadArgument' });
      const targets = (error as { details: { code: string; target: string }[] }).details.map((d) => `${d.code} ${d.target}`);
      expect(targets).toEqual(expect.arrayContaining(['NullValue metadata.name', 'MalformedValue spec.deepStorage.path']));
    });

    it('creates nothing on dryRun', async () => {
      const cluster = await api.createCluster({ metadata: { name: 'dry' }, spec: aSpec() }, { dryRun: true });
      expect(cluster.metadata.name).toBe('dry');
      expect(await api.listClusters()).toEqual([]);
    });

    it('maps absence to undefined or NotFound as each operation says', async () => {
      const unknown = '6f1c2b4e-0000-4000-8000-000000000000';
      expect(await api.getCluster(unknown)).toBeUndefined();
      expect(await api.deleteCluster(unknown)).toBeUndefined();
      expect(await api.getClusterVersion(unknown, 1)).toBeUndefined();
      expect(await api.getServer(unknown, 'i-00000000000000000')).toBeUndefined();
      await expect(api.listServers(unknown)).rejects.toMatchObject({ code: 'NotFound' });
      await expect(api.updateCluster(unknown, { spec: { version: '2022.01' } })).rejects.toMatchObject({ code: 'NotFound' });
      await expect(api.overwriteCluster(unknown, { metadata: { name: 'x' }, spec: aSpec() })).rejects.toMatchObject({ code: 'NotFound' });
      await expect(api.restartServer(unknown, 'i-00000000000000000')).rejects.toMatchObject({ code: 'NotFound' });
    });

    it('refuses writes while transitional with StateConflict naming both states', async () => {
      await harness.holdTransitions();
      const { metadata } = await api.createCluster({ metadata: { name: 'clicks' }, spec: aSpec() });
      await expect(api.updateCluster(metadata.uid, { spec: { version: '2022.01' } })).rejects.toMatchObject({
        code: 'StateConflict',
        currentState: 'STARTING',
        targetState: 'UPDATING',
      });
      await expect(api.updateCluster(metadata.uid, { spec: { desiredState: 'STOPPED' } })).rejects.toMatchObject({ currentState: 'STARTING', targetState: 'STOPPED' });
      await expect(api.deleteCluster(metadata.uid)).rejects.toMatchObject({ code: 'StateConflict', targetState: 'TERMINATED' });
    });

    it('applies a spec change through UPDATING with a new resourceVersion and keeps history', async () => {
      const cluster = await created();
      const uid = cluster.metadata.uid;
      const updated = await api.updateCluster(uid, { spec: { version: '2022.01' } });
      expect(updated.status).toMatchObject({ state: 'UPDATING', resourceVersion: 2 });
      expect((await settled(uid))?.status).toMatchObject({ state: 'STARTED', resourceVersion: 2 });
      expect((await api.getClusterVersion(uid, 1))?.spec.version).toBe('2021.01');
      expect(await api.getClusterVersion(uid, 2)).toMatchObject({ spec: { version: '2022.01' }, status: { resourceVersion: 2 } });
      expect(await api.getClusterVersion(uid, 3)).toBeUndefined();
    });

    it('treats writes that change nothing as no-ops', async () => {
      const cluster = await created();
      const uid = cluster.metadata.uid;
      expect((await api.updateCluster(uid, { spec: { version: '2021.01' } })).status).toMatchObject({ state: 'STARTED', resourceVersion: 1 });
      expect((await api.overwriteCluster(uid, { metadata: { name: 'clicks' }, spec: aSpec() })).status).toMatchObject({ state: 'STARTED', resourceVersion: 1 });
    });

    it('replaces the whole spec on overwrite and removes fields with null on update', async () => {
      const cluster = await created(aSpec({ awsKeyPair: 'ops' }));
      const uid = cluster.metadata.uid;
      const overwritten = await api.overwriteCluster(uid, { metadata: { name: 'clicks' }, spec: aSpec({ encryptVolumes: false }) });
      expect(overwritten.spec).not.toHaveProperty('awsKeyPair');
      expect(overwritten.spec.encryptVolumes).toBe(false);
      await settled(uid);
      const patched = await api.updateCluster(uid, { spec: { encryptVolumes: null, awsTags: [{ name: 'team', value: 'data' }] } });
      expect(patched.spec).toMatchObject({ encryptVolumes: true, awsTags: [{ name: 'team', value: 'data' }] });
      expect(patched.status.resourceVersion).toBe(3);
    });

    it('stops, refuses to delete a started cluster, deletes a stopped one', async () => {
      const { metadata } = await created();
      await expect(api.deleteCluster(metadata.uid)).rejects.toMatchObject({ code: 'StateConflict', currentState: 'STARTED', targetState: 'TERMINATED' });
      expect((await api.updateCluster(metadata.uid, { spec: { desiredState: 'STOPPED' } })).status.state).toBe('STOPPING');
      expect((await settled(metadata.uid))?.status).toMatchObject({ state: 'STOPPED', resourceVersion: 2 });
      expect((await api.deleteCluster(metadata.uid))?.status.state).toBe('TERMINATING');
      expect(await settled(metadata.uid)).toBeUndefined();
      expect(await api.deleteCluster(metadata.uid)).toBeUndefined();
    });

    it('accepts a metadata store password but never returns it', async () => {
      const store = { type: 'mysql', host: 'db', port: 3306, database: 'druid', user: 'druid', password: 'contract-pw-1' } as const;
      const cluster = await api.createCluster({ metadata: { name: 'ext' }, spec: aSpec({ metadataStore: store, desiredState: 'STOPPED' }) });
      const read = await api.getCluster(cluster.metadata.uid);
      for (const view of [cluster, read]) {
        expect(view?.spec.metadataStore).toMatchObject({ type: 'mysql', passwordSet: true });
        expect(JSON.stringify(view)).not.toContain('contract-pw-1');
      }
      const history = await api.getClusterVersion(cluster.metadata.uid, 1);
      expect(JSON.stringify(history)).not.toContain('contract-pw-1');
      const changed = await api.updateCluster(cluster.metadata.uid, { spec: { metadataStore: { password: 'contract-pw-2' } } });
      expect(changed.status.resourceVersion).toBe(2);
    });

    it('lists servers, reads one, and restarts one only while STARTED', async () => {
      const { metadata } = await created();
      const servers = await api.listServers(metadata.uid);
      expect(servers).toHaveLength(3 + 2 + 4);
      expect(new Set(servers.map((s) => s.type))).toEqual(new Set(['MASTER', 'QUERY', 'DATA']));
      const first = servers[0];
      if (first === undefined) throw new Error('no server');
      expect(await api.getServer(metadata.uid, first.id)).toMatchObject({ id: first.id, type: first.type });
      expect((await api.restartServer(metadata.uid, first.id)).id).toBe(first.id);
      await harness.holdTransitions();
      await api.updateCluster(metadata.uid, { spec: { desiredState: 'STOPPED' } });
      await expect(api.restartServer(metadata.uid, first.id)).rejects.toMatchObject({ code: 'StateConflict', currentState: 'STOPPING' });
    });
  });
}
