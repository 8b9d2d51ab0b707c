// The ImplyCluster status fields that describe the Imply cluster itself (id, state, versions,
// progress, servers, endpoints, drift), derived from what was observed. Pure.
import type { ObservedCluster, Server } from '../schema/index.js';
import type { Drift, ImplyClusterStatus } from './implycluster-resource.js';
import type { Difference } from './spec-diff.js';

/** Inputs of clusterStatusFrom. */
export interface ClusterFacts {
  previous: ImplyClusterStatus | undefined;
  cluster: ObservedCluster | undefined;
  /** Servers, when listed this pass; else the previous summary is kept. */
  servers: Server[] | undefined;
  /** Generation whose spec was sent this pass, if any. */
  appliedGeneration: number | undefined;
  /** Drift corrected this pass, if any. */
  drift: Difference[] | undefined;
  now: string;
}

/** Status fields about the Imply cluster; conditions, observedGeneration and lastSyncTime are set by the caller. */
export function clusterStatusFrom(facts: ClusterFacts): ImplyClusterStatus {
  const { previous, cluster } = facts;
  const status: ImplyClusterStatus = {};
  const clusterId = cluster?.metadata.uid ?? previous?.clusterId;
  if (clusterId !== undefined) status.clusterId = clusterId;
  const appliedGeneration = facts.appliedGeneration ?? previous?.appliedGeneration;
  if (appliedGeneration !== undefined) status.appliedGeneration = appliedGeneration;
  if (cluster === undefined) {
    // Not observed this pass (API down, account missing): keep what was last seen.
    const { state, resourceVersion, updateState, endpoints } = previous ?? {};
    Object.assign(status, JSON.parse(JSON.stringify({ state, resourceVersion, updateState, endpoints })) as ImplyClusterStatus);
  } else {
    status.state = cluster.status.state;
    status.resourceVersion = cluster.status.resourceVersion;
    const u = cluster.status.updateState;
    if (u !== undefined && u.phase !== 'COMPLETED') {
      status.updateState = { phase: u.phase, serversUpdated: u.serversUpdated, serversTotal: u.serversTotal };
    }
    const endpoints = (cluster.status.loadBalancers ?? []).flatMap((lb) => (lb.hostname ? [{ type: lb.type, hostname: lb.hostname }] : []));
    if (endpoints.length > 0) status.endpoints = endpoints;
  }
  const servers = facts.servers === undefined ? previous?.servers : serversSummaryFrom(facts.servers);
  if (servers !== undefined) status.servers = servers;
  const drift = facts.drift && facts.drift.length > 0 ? facts.drift.map((d) => driftEntry(d, facts.now)) : previous?.drift;
  if (drift !== undefined) status.drift = drift;
  return status;
}

/** Server counts: total, running, and by type. */
export function serversSummaryFrom(servers: readonly Server[]): NonNullable<ImplyClusterStatus['servers']> {
  const live = servers.filter((s) => s.state !== 'TERMINATED');
  const byType: Record<string, number> = {};
  for (const s of live) byType[s.type] = (byType[s.type] ?? 0) + 1;
  return { total: live.length, running: live.filter((s) => s.state === 'RUNNING').length, byType };
}

function driftEntry(d: Difference, detectedAt: string): Drift {
  return {
    path: `cluster.${d.path}`,
    ...(d.desired === undefined ? {} : { desired: JSON.stringify(d.desired) }),
    ...(d.observed === undefined ? {} : { observed: JSON.stringify(d.observed) }),
    detectedAt,
  };
}
