import { describe, expect, it } from 'vitest';
import { implyAccountCrd, implyClusterCrd } from '../../../src/kube/crd-manifests.js';

describe('implyClusterCrd', () => {
  const crd = implyClusterCrd();
  const version = crd.spec.versions[0];
  const schema = version?.schema.openAPIV3Schema;

  it('names the resource as product.md says', () => {
    expect(crd.metadata.name).toBe('implyclusters.cloud.imply.io');
    expect(crd.spec.names).toMatchObject({ kind: 'ImplyCluster', plural: 'implyclusters', shortNames: ['ic'], categories: ['imply'] });
    expect(version).toMatchObject({ name: 'v1alpha1', served: true, storage: true, subresources: { status: {} } });
  });

  it('prints STATE, VERSION, READY, SYNCED, AGE', () => {
    expect(version?.additionalPrinterColumns?.map((c) => c.name)).toEqual(['STATE', 'VERSION', 'READY', 'SYNCED', 'AGE']);
    expect(version?.additionalPrinterColumns?.[2]?.jsonPath).toBe('.status.conditions[?(@.type=="Ready")].status');
  });

  it('has no password field and a passwordSecretRef instead', () => {
    const store = schema?.properties?.['spec']?.properties?.['cluster']?.properties?.['metadataStore'];
    expect(Object.keys(store?.properties ?? {})).not.toContain('password');
    expect(Object.keys(store?.properties ?? {})).not.toContain('passwordSet');
    expect(store?.properties?.['passwordSecretRef']?.required).toEqual(['name', 'key']);
    expect(store?.['x-kubernetes-validations']?.[0]?.rule).toContain("self.type == 'managed'");
  });

  it('makes clusterName and accountRef immutable with transition rules on spec', () => {
    const rules = schema?.properties?.['spec']?.['x-kubernetes-validations']?.map((r) => r.fieldPath);
    expect(rules).toEqual(['.clusterName', '.accountRef']);
  });

  it('says nothing about metadata but type: object, which is all the apiserver accepts', () => {
    expect(schema?.properties?.['metadata']).toEqual({ type: 'object' });
    expect(schema?.required).toEqual(['spec']);
  });

  it('keys conditions by type', () => {
    expect(schema?.properties?.['status']?.properties?.['conditions']).toMatchObject({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] });
  });
});

describe('implyAccountCrd', () => {
  it('prints READY, URL, AGE', () => {
    const crd = implyAccountCrd();
    expect(crd.spec.names).toMatchObject({ kind: 'ImplyAccount', categories: ['imply'] });
    expect(crd.spec.versions[0]?.additionalPrinterColumns?.map((c) => c.name)).toEqual(['READY', 'URL', 'AGE']);
  });
});
