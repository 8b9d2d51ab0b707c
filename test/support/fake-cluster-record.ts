// The stored form of a FakeManagerApi cluster and the views the API returns of it.
import { withDefaults, type ClusterSpec, type ClusterState, type ObservedCluster, type Server } from '../../src/schema/index.js';

/** How a transitional state ends: the state it settles to, or removal after TERMINATING. */
export type FakeTransition = { settlesTo: ClusterState | 'GONE'; readsLeft: number };

/** One cluster as the fake stores it: public spec (no password) and the write-only password apart. */
export interface FakeClusterRecord {
  uid: string;
  name: string;
  creationTimestamp: string;
  spec: ClusterSpec;
  password: string | undefined;
  state: ClusterState;
  resourceVersion: number;
  history: { resourceVersion: number; name: string; spec: ClusterSpec }[];
  servers: Server[];
  transition: FakeTransition | undefined;
}

/** RFC 7386 JSON Merge Patch: objects merge, `null` removes, anything else replaces. Inputs are not modified. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** The public spec (defaults applied, password removed, passwordSet when one is stored) and the password. */
export function publicSpecFrom(spec: ClusterSpec, storedPassword: string | undefined): { spec: ClusterSpec; password: string | undefined } {
  const copy = withDefaults(spec);
  const store = copy.metadataStore ?? { type: 'managed' };
  const given = store.password;
  delete store.password;
  delete store.passwordSet;
  const password = store.type === 'managed' ? undefined : (given ?? storedPassword);
  if (password !== undefined) store.passwordSet = true;
  copy.metadataStore = store;
  return { spec: copy, password };
}

/** True when two public specs are equal, ignoring key order. */
export function sameSpec(a: ClusterSpec, b: ClusterSpec): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** The cluster as the API returns it (a copy: callers may mutate it). */
export function observedClusterFrom(record: FakeClusterRecord): ObservedCluster {
  const cluster: ObservedCluster = {
    metadata: { name: record.name, uid: record.uid, creationTimestamp: record.creationTimestamp },
    spec: structuredClone(record.spec),
    status: { resourceVersion: record.resourceVersion, state: record.state, events: [] },
  };
  if (record.state === 'UPDATING') {
    const total = record.servers.length;
    cluster.status.updateState = { targetResourceVersion: record.resourceVersion, strategy: 'ROLLING', phase: 'IN_PROGRESS', serversUpdated: 0, serversTotal: total };
  }
  return cluster;
}

/** Servers for `spec` in `state`, reusing the ids of `previous` slot by slot. */
export function serversFor(spec: ClusterSpec, state: ClusterState, resourceVersion: number, previous: Server[], newId: () => string): Server[] {
  const serverState: Server['state'] = state === 'STARTED' ? 'RUNNING' : state === 'STOPPED' ? 'STOPPED' : state === 'STOPPING' ? 'STOPPING' : 'PENDING';
  const slots: Pick<Server, 'type' | 'tier' | 'instanceType'>[] = [
    ...Array.from({ length: spec.master.replicas }, () => ({ type: 'MASTER' as const, instanceType: spec.master.instanceType })),
    ...Array.from({ length: spec.query.replicas }, () => ({ type: 'QUERY' as const, instanceType: spec.query.instanceType })),
    ...spec.data.tiers.flatMap((t) => Array.from({ length: t.replicas }, () => ({ type: 'DATA' as const, tier: t.name, instanceType: t.instanceType }))),
  ];
  return slots.map((slot, i) => {
    const old = previous[i];
    return {
      id: old?.id ?? newId(),
      ...slot,
      state: serverState,
      privateIp: old?.privateIp ?? `10.0.${Math.floor(i / 250)}.${(i % 250) + 2}`,
      resourceVersion,
      launchTime: old?.launchTime ?? new Date(0).toISOString(),
    };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1))) : v,
  );
}
