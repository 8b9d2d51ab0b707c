import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/emulator/api-error.js';
import { ClusterStore } from '../../../src/emulator/cluster-store.js';
import type { ConfigurationInput } from '../../../src/emulator/public-configuration.js';
import type { ClusterSpec } from '../../../src/schema/index.js';

const transitionMs = 1000;

function spec(overrides: Partial<ClusterSpec> = {}): ClusterSpec {
  return {
    version: '2021.01',
    awsInstanceRole: 'role',
    master: { replicas: 1, instanceType: 'm5.large' },
    query: { replicas: 1, instanceType: 'm5.large' },
    data: { tiers: [{ name: 'hot', replicas: 2, instanceType: 'i3.xlarge' }] },
    deepStorage: { path: 's3://bucket/prefix' },
    ...overrides,
  };
}

const input = (s: ClusterSpec, name = 'c1'): ConfigurationInput => ({ name, spec: s, password: { kind: 'keep' } });

let clock = 0;
let stores: ClusterStore[] = [];
function newStore(): ClusterStore {
  clock = Date.parse('2026-01-01T00:00:00Z');
  const store = new ClusterStore({ transitionMs, seed: 1, onChange: () => {}, now: () => clock });
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const s of stores) s.close();
  stores = [];
});

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return `${error.status} ${error.message}`;
    throw error;
  }
  return 'no error';
}

/** A cluster brought to `state` along the documented paths. */
function clusterIn(store: ClusterStore, state: 'STARTED' | 'STOPPED' | 'FAILED'): string {
  const uid = store.create(input(spec({ desiredState: state === 'STOPPED' ? 'STOPPED' : 'STARTED' }))).metadata.uid;
  clock += transitionMs;
  if (state === 'FAILED') store.fail(uid);
  expect(store.get(uid).status.state).toBe(state);
  return uid;
}

describe('ClusterStore lifecycle table', () => {
  it('create with STARTED: STARTING then STARTED, resourceVersion 1, servers PENDING then RUNNING', () => {
    const store = newStore();
    const created = store.create(input(spec()));
    expect(created.status.state).toBe('STARTING');
    expect(created.status.resourceVersion).toBe(1);
    const uid = created.metadata.uid;
    expect(store.servers(uid).map((s) => s.state)).toEqual(['PENDING', 'PENDING', 'PENDING', 'PENDING']);
    clock += transitionMs / 2;
    expect(store.get(uid).status.updateState).toMatchObject({ phase: 'IN_PROGRESS', serversUpdated: 2, serversTotal: 4 });
    clock += transitionMs / 2;
    const started = store.get(uid);
    expect(started.status).toMatchObject({ state: 'STARTED', resourceVersion: 1 });
    expect(started.status.updateState).toBeUndefined();
    expect(store.servers(uid).map((s) => [s.type, s.tier, s.state])).toEqual([
      ['MASTER', undefined, 'RUNNING'], ['QUERY', undefined, 'RUNNING'], ['DATA', 'hot', 'RUNNING'], ['DATA', 'hot', 'RUNNING'],
    ]);
  });

  it('create with STOPPED: STOPPED at once, resourceVersion 1', () => {
    const store = newStore();
    expect(store.create(input(spec({ desiredState: 'STOPPED' }))).status).toMatchObject({ state: 'STOPPED', resourceVersion: 1 });
  });

  it('STARTED + spec change: UPDATING then STARTED, resourceVersion + 1, servers added', () => {
    const store = newStore();
    const uid = clusterIn(store, 'STARTED');
    const { cluster, changed } = store.configure(uid, input(spec({ query: { replicas: 3, instanceType: 'm5.large' } })));
    expect(changed).toBe(true);
    expect(cluster.status).toMatchObject({ state: 'UPDATING', resourceVersion: 2, updateState: { strategy: 'ROLLING', serversTotal: 6 } });
    clock += transitionMs;
    expect(store.get(uid).status).toMatchObject({ state: 'STARTED', resourceVersion: 2 });
    const servers = store.servers(uid);
    expect(servers.filter((s) => s.type === 'QUERY')).toHaveLength(3);
    expect(servers.every((s) => s.state === 'RUNNING' && s.resourceVersion === 2)).toBe(true);
  });

  it('scale down: surplus servers TERMINATED during the update, removed after it', () => {
    const store = newStore();
    const uid = clusterIn(store, 'STARTED');
    store.configure(uid, input(spec({ data: { tiers: [{ name: 'hot', replicas: 1, instanceType: 'i3.xlarge' }] } })));
    expect(store.servers(uid).filter((s) => s.state === 'TERMINATED')).toHaveLength(1);
    clock += transitionMs;
    expect(store.servers(uid)).toHaveLength(3);
  });

  it('a changed instance type replaces the instance (new id)', () => {
    const store = newStore();
    const uid = clusterIn(store, 'STARTED');
    const before = store.servers(uid).find((s) => s.type === 'MASTER');
    store.configure(uid, input(spec({ master: { replicas: 1, instanceType: 'm5.xlarge' } })));
    clock += transitionMs;
    const after = store.servers(uid).find((s) => s.type === 'MASTER');
    expect(after?.instanceType).toBe('m5.xlarge');
    expect(after?.id).not.toBe(before?.id);
  });

  it('STARTED + desiredState STOPPED: STOPPING then STOPPED, servers STOPPED', () => {
    const store = newStore();
    const uid = clusterIn(store, 'STARTED');
    expect(store.configure(uid, input(spec({ desiredState: 'STOPPED' }))).cluster.status).toMatchObject({ state: 'STOPPING', resourceVersion: 2 });
    clock += transitionMs;
    expect(store.get(uid).status.state).toBe('STOPPED');
    expect(store.servers(uid).every((s) => s.state === 'STOPPED')).toBe(true);
  });

  it('STOPPED + desiredState STARTED: STARTING then STARTED', () => {
    const store = newStore();
    const uid = clusterIn(store, 'STOPPED');
    expect(store.configure(uid, input(spec())).cluster.status).toMatchObject({ state: 'STARTING', resourceVersion: 2 });
    clock += transitionMs;
    expect(store.get(uid).status.state).toBe('STARTED');
  });

  it('STOPPED + other change: stays STOPPED, resourceVersion + 1, applied at next start', () => {
    const store = newStore();
    const uid = clusterIn(store, 'STOPPED');
    const bigger = spec({ desiredState: 'STOPPED', query: { replicas: 2, instanceType: 'm5.large' } });
    expect(store.configure(uid, input(bigger)).cluster.status).toMatchObject({ state: 'STOPPED', resourceVersion: 2 });
    store.configure(uid, input({ ...bigger, desiredState: 'STARTED' }));
    clock += transitionMs;
    expect(store.servers(uid).filter((s) => s.type === 'QUERY')).toHaveLength(2);
  });

  it('FAILED + spec change: UPDATING, resourceVersion + 1', () => {
    const store = newStore();
    const uid = clusterIn(store, 'FAILED');
    expect(store.configure(uid, input(spec({ version: '2021.02' }))).cluster.status).toMatchObject({ state: 'UPDATING', resourceVersion: 2 });
    clock += transitionMs;
    expect(store.get(uid).status.state).toBe('STARTED');
  });

  it.each(['STOPPED', 'FAILED'] as const)('%s + delete: TERMINATING, then gone', (state) => {
    const store = newStore();
    const uid = clusterIn(store, state);
    expect(store.delete(uid).status.state).toBe('TERMINATING');
    clock += transitionMs;
    expect(codeOf(() => store.get(uid))).toBe(`404 Cluster [${uid}] was not found`);
    expect(store.list()).toEqual([]);
  });

  it('STARTED + delete: 409 to TERMINATED', () => {
    const store = newStore();
    const uid = clusterIn(store, 'STARTED');
    expect(codeOf(() => store.delete(uid))).toBe(`409 Cluster [${uid}] cannot transition from [STARTED] to [TERMINATED]`);
  });

  it('transitional + any write: 409 naming the requested target', () => {
    const store = newStore();
    const uid = clusterIn(store, 'STARTED');
    store.configure(uid, input(spec({ version: '2021.02' })));
    const conflict = (target: string) => `409 Cluster [${uid}] cannot transition from [UPDATING] to [${target}]`;
    expect(codeOf(() => store.configure(uid, input(spec({ version: '2021.02', desiredState: 'STOPPED' }))))).toBe(conflict('STOPPED'));
    expect(codeOf(() => store.configure(uid, input(spec({ version: '2021.03' }))))).toBe(conflict('UPDATING'));
    expect(codeOf(() => store.delete(uid))).toBe(conflict('TERMINATED'));
    const server = store.servers(uid)[0]?.id ?? '';
    expect(codeOf(() => store.restart(uid, server))).toBe(conflict('UPDATING'));
  });

  it('any state + no-op write: no new resourceVersion, no state change', () => {
    const store = newStore();
    const uid = store.create(input(spec())).metadata.uid;
    const { cluster, changed } = store.configure(uid, input(spec({ desiredState: 'STARTED', encryptVolumes: true })));
    expect(changed).toBe(false);
    expect(cluster.status).toMatchObject({ state: 'STARTING', resourceVersion: 1 });
  });
});

describe('ClusterStore', () => {
  it('keeps every version for the history endpoint', () => {
    const store = newStore();
    const uid = clusterIn(store, 'STARTED');
    store.configure(uid, input(spec({ query: { replicas: 2, instanceType: 'm5.large' } }), 'renamed'));
    expect(store.history(uid, '1')).toMatchObject({ metadata: { name: 'c1' }, spec: { query: { replicas: 1 } }, status: { resourceVersion: 1 } });
    expect(store.history(uid, '2')).toMatchObject({ metadata: { name: 'renamed' }, status: { resourceVersion: 2 } });
    expect(codeOf(() => store.history(uid, '3'))).toBe(`404 Cluster [${uid}] resource version [3] was not found`);
    expect(codeOf(() => store.history(uid, 'x'))).toBe(`404 Cluster [${uid}] resource version [x] was not found`);
  });

  it('refuses a name another cluster has, on create and on rename', () => {
    const store = newStore();
    store.create(input(spec(), 'a'));
    const b = store.create(input(spec(), 'b')).metadata.uid;
    clock += transitionMs;
    expect(codeOf(() => store.create(input(spec(), 'a')))).toBe('409 Cluster with name [a] already exists');
    expect(codeOf(() => store.configure(b, input(spec(), 'a')))).toBe('409 Cluster with name [a] already exists');
  });

  it('treats the password as write-only: hash kept, passwordSet shown, same password a no-op', () => {
    const store = newStore();
    const mysql = (password?: string): ConfigurationInput => ({
      name: 'c1',
      spec: spec({ desiredState: 'STOPPED', metadataStore: { type: 'mysql', host: 'h', port: 3306, database: 'd', user: 'u', ...(password ? { password } : {}) } }),
      password: password === undefined ? { kind: 'keep' } : { kind: 'set', password },
    });
    const created = store.create(mysql('secret'));
    const uid = created.metadata.uid;
    expect(created.spec.metadataStore).toEqual({ type: 'mysql', host: 'h', port: 3306, database: 'd', user: 'u', passwordSet: true });
    expect(JSON.stringify(store.snapshot())).not.toContain('secret');
    expect(store.configure(uid, mysql('secret')).changed).toBe(false);
    expect(store.configure(uid, mysql()).changed).toBe(false);
    expect(store.configure(uid, mysql('other')).changed).toBe(true);
    expect(store.configure(uid, { ...mysql(), password: { kind: 'clear' } }).cluster.spec.metadataStore?.passwordSet).toBeUndefined();
  });

  it('changes nothing on dry runs, and does not consume ids', () => {
    const store = newStore();
    const dry = store.create(input(spec()), { dryRun: true });
    expect(store.list()).toEqual([]);
    expect(store.create(input(spec())).metadata.uid).toBe(dry.metadata.uid);
    clock += transitionMs;
    const uid = dry.metadata.uid;
    expect(store.configure(uid, input(spec({ version: 'x' })), { dryRun: true }).cluster.status.state).toBe('UPDATING');
    expect(store.get(uid).status).toMatchObject({ state: 'STARTED', resourceVersion: 1 });
  });

  it('ends a transition in FAILED when asked to, with updateState FAILED', () => {
    const store = newStore();
    const uid = clusterIn(store, 'STARTED');
    store.configure(uid, input(spec({ version: 'x' })), { failAtEnd: () => true });
    clock += transitionMs;
    expect(store.get(uid).status).toMatchObject({ state: 'FAILED', updateState: { phase: 'FAILED' } });
  });

  it('restarts a server of a STARTED cluster: PENDING, then RUNNING after a transition length', () => {
    const store = newStore();
    const uid = clusterIn(store, 'STARTED');
    const id = store.servers(uid)[0]?.id ?? '';
    expect(store.restart(uid, id).state).toBe('PENDING');
    expect(store.get(uid).status.state).toBe('STARTED');
    clock += transitionMs;
    expect(store.server(uid, id).state).toBe('RUNNING');
    expect(codeOf(() => store.restart(uid, 'i-00000000000000000'))).toBe(`404 Server [i-00000000000000000] of cluster [${uid}] was not found`);
  });

  it('keeps at most 50 events, newest last', () => {
    const store = newStore();
    const uid = clusterIn(store, 'STARTED');
    for (let i = 0; i < 40; i++) {
      store.configure(uid, input(spec({ version: `v${i}` })));
      clock += transitionMs;
    }
    const events = store.get(uid).status.events ?? [];
    expect(events).toHaveLength(50);
    expect(events.at(-1)?.reason).toBe('UpdateCompleted');
    expect(events.at(-1)?.resourceVersion).toBe(41);
  });

  it('resumes a transition from a snapshot at its stored deadline', () => {
    const store = newStore();
    const uid = store.create(input(spec())).metadata.uid;
    const saved = store.snapshot();
    const other = newStore();
    other.restore(saved);
    expect(other.get(uid).status.state).toBe('STARTING');
    clock += transitionMs;
    expect(other.get(uid).status.state).toBe('STARTED');
    expect(other.create(input(spec(), 'c2')).metadata.uid).toBe(store.create(input(spec(), 'c2')).metadata.uid);
  });
});
