// Builders of Manager API objects for tests: a valid minimal spec, and a cluster as the API returns it.
import type { ClusterSpec, ClusterState, ObservedCluster } from '../../src/schema/index.js';
import { withDefaults } from '../../src/schema/index.js';

/** A small valid ClusterSpec; `overrides` replace top-level fields. */
export function aSpec(overrides: Partial<ClusterSpec> = {}): ClusterSpec {
  return {
    version: '2021.01',
    awsInstanceRole: 'imply-node-role',
    master: { replicas: 3, instanceType: 'm5.large' },
    query: { replicas: 2, instanceType: 'c5.2xlarge' },
    data: { tiers: [{ name: 'hot', replicas: 4, instanceType: 'i3.2xlarge' }] },
    deepStorage: { path: 's3://acme-segments/clicks' },
    ...overrides,
  };
}

/** A cluster as the API would return it: defaults applied, password replaced by passwordSet. */
export function anObservedCluster(spec: ClusterSpec, state: ClusterState = 'STARTED', resourceVersion = 1): ObservedCluster {
  const observed = withDefaults(spec);
  if (observed.metadataStore?.password !== undefined) {
    const { password: _password, ...rest } = observed.metadataStore;
    observed.metadataStore = { ...rest, passwordSet: true };
  }
  return {
    metadata: { name: 'clicks-prod', uid: 'e9e1e18f-a9e8-4dd7-8a18-768039c57f22', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: observed,
    status: { state, resourceVersion },
  };
}
