import { describe, expect, it } from 'vitest';
import { planChanges } from '../../../src/implycluster/plan.js';
import type { ClusterSpec } from '../../../src/schema/index.js';
import { aSpec, anObservedCluster } from '../../support/cluster-builders.js';

const ownerTag = { name: 'imply-operator/owner', value: 'uid-1' };

describe('planChanges', () => {
  it('creates when no cluster exists, with the desired spec as given', () => {
    const desired = aSpec({ awsTags: [ownerTag] });
    expect(planChanges({ name: 'clicks-prod', desired, observed: undefined })).toEqual({
      kind: 'create',
      cluster: { metadata: { name: 'clicks-prod' }, spec: desired },
    });
  });

  it.each(['STARTING', 'UPDATING', 'STOPPING', 'TERMINATING'] as const)('waits while %s, even with changes', (state) => {
    const observed = anObservedCluster(aSpec(), state);
    expect(planChanges({ name: 'c', desired: aSpec({ version: '2022.01' }), observed }).kind).toBe('wait');
  });

  const same: [string, ClusterSpec, ClusterSpec][] = [
    ['defaults written out on one side only', aSpec({ desiredState: 'STARTED', encryptVolumes: true, metadataStore: { type: 'managed' } }), aSpec()],
    ['property lists in another order', aSpec({ commonRuntimeProperties: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] }), aSpec({ commonRuntimeProperties: [{ name: 'b', value: '2' }, { name: 'a', value: '1' }] })],
    ['tiers in another order', aSpec({ data: { tiers: [{ name: 'hot', replicas: 1, instanceType: 'x' }, { name: 'cold', replicas: 2, instanceType: 'y' }] } }), aSpec({ data: { tiers: [{ name: 'cold', replicas: 2, instanceType: 'y' }, { name: 'hot', replicas: 1, instanceType: 'x' }] } })],
    ['custom file targets in another order, or defaulted', aSpec({ customFiles: [{ name: 'f', url: 's3://b/f', targets: ['DATA', 'MASTER', 'QUERY'] }] }), aSpec({ customFiles: [{ name: 'f', url: 's3://b/f' }] })],
    ['an empty list and an absent one', aSpec({ loadBalancers: [] }), aSpec()],
    ['the owner tag present on one side only', aSpec({ awsTags: [ownerTag] }), aSpec()],
    ['a write-only password the API does not return', aSpec({ metadataStore: { type: 'postgresql', host: 'h', port: 5432, database: 'd', user: 'u', password: 'hunter2' } }), aSpec({ metadataStore: { type: 'postgresql', host: 'h', port: 5432, database: 'd', user: 'u' } })],
  ];
  it.each(same)('does nothing for %s', (_name, desired, observedSpec) => {
    expect(planChanges({ name: 'c', desired, observed: anObservedCluster(observedSpec) })).toEqual({ kind: 'none' });
  });

  it('patches only the changed fields', () => {
    const plan = planChanges({ name: 'c', desired: aSpec({ query: { replicas: 5, instanceType: 'c5.2xlarge' } }), observed: anObservedCluster(aSpec()) });
    expect(plan).toEqual({
      kind: 'update',
      patch: { spec: { query: { replicas: 5 } } },
      differences: [{ path: 'query.replicas', desired: 5, observed: 2 }],
    });
  });

  it('sends a changed list whole, owner tag included, since merge patch replaces arrays', () => {
    const desired = aSpec({ awsTags: [ownerTag, { name: 'team', value: 'web' }] });
    const plan = planChanges({ name: 'c', desired, observed: anObservedCluster(aSpec({ awsTags: [ownerTag] })) });
    expect(plan).toMatchObject({ kind: 'update', patch: { spec: { awsTags: [ownerTag, { name: 'team', value: 'web' }] } } });
  });

  it('removes a field the user removed with null', () => {
    const plan = planChanges({ name: 'c', desired: aSpec(), observed: anObservedCluster(aSpec({ awsKeyPair: 'ops' })) });
    expect(plan).toMatchObject({ kind: 'update', patch: { spec: { awsKeyPair: null } } });
  });

  it('stops and starts through desiredState', () => {
    const stop = planChanges({ name: 'c', desired: aSpec({ desiredState: 'STOPPED' }), observed: anObservedCluster(aSpec()) });
    expect(stop).toMatchObject({ kind: 'stop', patch: { spec: { desiredState: 'STOPPED' } } });
    const start = planChanges({ name: 'c', desired: aSpec(), observed: anObservedCluster(aSpec({ desiredState: 'STOPPED' }), 'STOPPED') });
    expect(start).toMatchObject({ kind: 'start', patch: { spec: { desiredState: 'STARTED' } } });
  });

  it('sends the password once when the referenced secret changed', () => {
    const store = { type: 'postgresql' as const, host: 'h', port: 5432, database: 'd', user: 'u' };
    const desired = aSpec({ metadataStore: { ...store, password: 'new' } });
    const plan = planChanges({ name: 'c', desired, observed: anObservedCluster(aSpec({ metadataStore: store })), passwordChanged: true });
    expect(plan).toMatchObject({ kind: 'update', patch: { spec: { metadataStore: { password: 'new' } } } });
  });

  it('updates a FAILED cluster whose spec changed, and leaves it alone otherwise', () => {
    expect(planChanges({ name: 'c', desired: aSpec(), observed: anObservedCluster(aSpec(), 'FAILED') }).kind).toBe('none');
    expect(planChanges({ name: 'c', desired: aSpec({ version: '2022.01' }), observed: anObservedCluster(aSpec(), 'FAILED') }).kind).toBe('update');
  });
});
