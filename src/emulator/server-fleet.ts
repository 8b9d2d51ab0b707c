// The servers of a cluster: which ones the spec asks for, and how each transition changes them.
import type { ClusterSpec } from '../schema/index.js';
import type { ServerRecord, TransitionKind, TransitionStep } from './cluster-record.js';
import type { SeededRandom } from './seeded-random.js';

/** One server the spec asks for. */
export interface ServerSlot {
  type: ServerRecord['type'];
  tier?: string;
  instanceType: string;
}

/** Every server the spec asks for: masters, query servers, then each data tier in order. */
export function slotsFor(spec: ClusterSpec): ServerSlot[] {
  const repeat = (n: number, slot: ServerSlot) => Array.from({ length: n }, () => ({ ...slot }));
  return [
    ...repeat(spec.master.replicas, { type: 'MASTER', instanceType: spec.master.instanceType }),
    ...repeat(spec.query.replicas, { type: 'QUERY', instanceType: spec.query.instanceType }),
    ...spec.data.tiers.flatMap((t) => repeat(t.replicas, { type: 'DATA', tier: t.name, instanceType: t.instanceType })),
  ];
}

/** What a transition needs: the server ids it works on, in order; the fleet is changed in place. */
export interface FleetChange {
  servers: ServerRecord[];
  steps: TransitionStep[];
}

/** Inputs shared by every fleet change. */
export interface FleetContext {
  spec: ClusterSpec;
  resourceVersion: number;
  nowMs: number;
  ids: SeededRandom;
}

/** Prepares the servers for a transition of `kind`; steps are applied later by `applyStep`. */
export function beginFleetChange(kind: TransitionKind, current: ServerRecord[], ctx: FleetContext): FleetChange {
  const live = current.filter((s) => s.state !== 'TERMINATED');
  if (kind === 'stop' || kind === 'terminate') {
    const servers = live.map((s) => ({ ...s, state: kind === 'stop' ? ('STOPPING' as const) : s.state }));
    return { servers, steps: servers.map((s) => ({ serverId: s.id, instanceType: s.instanceType })) };
  }
  const { kept, added, surplus } = match(live, slotsFor(ctx.spec));
  const fresh = added.map((slot) => newServer(slot, ctx));
  if (kind === 'start') {
    const restarted = kept.map(({ server, slot }) => ({ ...server, instanceType: slot.instanceType, state: 'PENDING' as const }));
    const servers = [...restarted, ...fresh];
    return { servers, steps: servers.map((s) => ({ serverId: s.id, instanceType: s.instanceType })) };
  }
  const steps: TransitionStep[] = kept.map(({ server, slot }) =>
    server.instanceType === slot.instanceType
      ? { serverId: server.id, instanceType: slot.instanceType }
      : { serverId: server.id, instanceType: slot.instanceType, replacement: { id: ctx.ids.instanceId(), privateIp: ctx.ids.privateIp() } },
  );
  steps.push(...fresh.map((s) => ({ serverId: s.id, instanceType: s.instanceType })));
  const retiring = surplus.map((s) => ({ ...s, state: 'TERMINATED' as const }));
  return { servers: [...kept.map((k) => k.server), ...fresh, ...retiring], steps };
}

/** Applies one step of a transition to its server (a server already gone is skipped). */
export function applyStep(kind: TransitionKind, servers: ServerRecord[], step: TransitionStep, resourceVersion: number, nowMs: number): void {
  const server = servers.find((s) => s.id === step.serverId);
  if (server === undefined) return;
  delete server.restartEndsAtMs;
  if (kind === 'stop') server.state = 'STOPPED';
  else if (kind === 'terminate') server.state = 'TERMINATED';
  else {
    server.state = 'RUNNING';
    server.resourceVersion = resourceVersion;
    server.instanceType = step.instanceType;
    if (step.replacement !== undefined) {
      server.id = step.replacement.id;
      server.privateIp = step.replacement.privateIp;
      server.launchTime = new Date(nowMs).toISOString();
    }
  }
}

function newServer(slot: ServerSlot, ctx: FleetContext): ServerRecord {
  const server: ServerRecord = {
    id: ctx.ids.instanceId(),
    type: slot.type,
    instanceType: slot.instanceType,
    state: 'PENDING',
    privateIp: ctx.ids.privateIp(),
    resourceVersion: ctx.resourceVersion,
    launchTime: new Date(ctx.nowMs).toISOString(),
  };
  if (slot.tier !== undefined) server.tier = slot.tier;
  return server;
}

const keyOf = (s: { type: string; tier?: string }) => `${s.type}/${s.tier ?? ''}`;

function match(servers: ServerRecord[], slots: ServerSlot[]) {
  const pool = new Map<string, ServerRecord[]>();
  for (const s of servers) pool.set(keyOf(s), [...(pool.get(keyOf(s)) ?? []), s]);
  const kept: { server: ServerRecord; slot: ServerSlot }[] = [];
  const added: ServerSlot[] = [];
  for (const slot of slots) {
    const server = pool.get(keyOf(slot))?.shift();
    if (server === undefined) added.push(slot);
    else kept.push({ server, slot });
  }
  return { kept, added, surplus: [...pool.values()].flat() };
}
