import { describe, expect, it } from 'vitest';
import { clusterStatusFrom, serversSummaryFrom } from '../../../src/implycluster/cluster-status-from.js';
import type { Server } from '../../../src/schema/index.js';
import { aSpec, anObservedCluster } from '../../support/cluster-builders.js';

const now = '2026-01-01T00:00:00Z';

describe('clusterStatusFrom', () => {
  it('keeps the last seen state when the cluster could not be observed (API down)', () => {
    const previous = { clusterId: 'id-1', state: 'STARTED' as const, resourceVersion: 4, appliedGeneration: 2 };
    expect(clusterStatusFrom({ previous, cluster: undefined, servers: undefined, appliedGeneration: undefined, drift: undefined, now })).toEqual(previous);
  });

  it('takes state, version, progress and endpoints from the observed cluster', () => {
    const cluster = anObservedCluster(aSpec(), 'UPDATING', 3);
    cluster.status.updateState = { targetResourceVersion: 3, strategy: 'ROLLING', phase: 'IN_PROGRESS', serversUpdated: 2, serversTotal: 9 };
    cluster.status.loadBalancers = [{ type: 'QUERY', hostname: 'q.example.com' }, { type: 'PIVOT' }];
    expect(clusterStatusFrom({ previous: undefined, cluster, servers: undefined, appliedGeneration: 5, drift: undefined, now })).toEqual({
      clusterId: cluster.metadata.uid,
      appliedGeneration: 5,
      state: 'UPDATING',
      resourceVersion: 3,
      updateState: { phase: 'IN_PROGRESS', serversUpdated: 2, serversTotal: 9 },
      endpoints: [{ type: 'QUERY', hostname: 'q.example.com' }],
    });
  });

  it('records drift with JSON values under the cluster. path', () => {
    const status = clusterStatusFrom({ previous: undefined, cluster: undefined, servers: undefined, appliedGeneration: undefined, drift: [{ path: 'query.replicas', desired: 2, observed: 7 }], now });
    expect(status.drift).toEqual([{ path: 'cluster.query.replicas', desired: '2', observed: '7', detectedAt: now }]);
  });
});

describe('serversSummaryFrom', () => {
  it('counts live servers by type and running ones', () => {
    const server = (type: Server['type'], state: Server['state']): Server => ({ id: 'i-0123456789abcdef0', type, instanceType: 'x', state, privateIp: '10.0.0.1', resourceVersion: 1, launchTime: now });
    expect(serversSummaryFrom([server('MASTER', 'RUNNING'), server('DATA', 'PENDING'), server('DATA', 'TERMINATED')])).toEqual({ total: 2, running: 1, byType: { MASTER: 1, DATA: 1 } });
  });
});
