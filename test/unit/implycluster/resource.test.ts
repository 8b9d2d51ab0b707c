import { describe, expect, it } from 'vitest';
import { createAjv, ClusterSpec } from '../../../src/schema/index.js';
import {
  ImplyClusterSpec,
  ImplyClusterStatus,
  MetadataStoreSpec,
  LoadBalancerSpec,
  type ImplyClusterSpec as Spec,
} from '../../../src/implycluster/implycluster-resource.js';
import { ImplyAccountSpec } from '../../../src/implyaccount/implyaccount-resource.js';

const ajv = createAjv();
const validSpec = ajv.compile<Spec>(ImplyClusterSpec);

const sample: Spec = {
  accountRef: { name: 'acme' },
  clusterName: 'clicks-prod',
  cluster: {
    version: '2021.01',
    awsInstanceRole: 'imply-node-role',
    deepStorage: { path: 's3://acme-segments/clicks' },
    master: { replicas: 3, instanceType: 'm5.large' },
    query: { replicas: 2, instanceType: 'c5.2xlarge' },
    data: { tiers: [{ name: 'hot', replicas: 4, instanceType: 'i3.2xlarge' }] },
    metadataStore: {
      type: 'postgresql',
      host: 'db.internal',
      port: 5432,
      database: 'druid',
      user: 'druid',
      passwordSecretRef: { name: 'clicks-metadata-db', key: 'password' },
    },
    loadBalancers: [{ type: 'QUERY', internal: true }],
  },
};

describe('ImplyClusterSpec', () => {
  it('accepts the product example', () => {
    expect(validSpec(sample), JSON.stringify(validSpec.errors)).toBe(true);
  });

  it('keeps every ClusterSpec field, from the same definitions', () => {
    expect(Object.keys(ImplyClusterSpec.properties.cluster.properties).sort()).toEqual(Object.keys(ClusterSpec.properties).sort());
    expect(ImplyClusterSpec.properties.cluster.properties.master).toBe(ClusterSpec.properties.master);
  });

  it('takes the metadata store password from a Secret, never the spec', () => {
    expect(Object.keys(MetadataStoreSpec.properties)).not.toContain('password');
    expect(Object.keys(MetadataStoreSpec.properties)).not.toContain('passwordSet');
    const withPassword = structuredClone(sample) as unknown as { cluster: { metadataStore: Record<string, unknown> } };
    withPassword.cluster.metadataStore['password'] = 'hunter2';
    expect(validSpec(withPassword)).toBe(false);
  });

  it('has no read-only load balancer hostname', () => {
    expect(Object.keys(LoadBalancerSpec.properties)).not.toContain('hostname');
    expect(LoadBalancerSpec.additionalProperties).toBe(false);
  });

  it('rejects unknown policies', () => {
    expect(validSpec({ ...sample, deletionPolicy: 'Keep' })).toBe(false);
    expect(validSpec({ ...sample, managementPolicy: 'ObserveOnly', deletionPolicy: 'Orphan' })).toBe(true);
  });
});

describe('ImplyClusterStatus and ImplyAccountSpec', () => {
  it('compile under the strict ajv of the schema source', () => {
    expect(() => ajv.compile(ImplyClusterStatus)).not.toThrow();
    const validAccount = ajv.compile(ImplyAccountSpec);
    expect(validAccount({ url: 'https://acme.implycloud.com/api/v1', credentialsSecretRef: { name: 'c' } })).toBe(true);
    expect(validAccount({ url: 'ftp://x', credentialsSecretRef: { name: 'c' } })).toBe(false);
    expect(validAccount({ url: 'https://x', credentialsSecretRef: { name: 'c' }, requestsPerSecond: 0 })).toBe(false);
  });
});
