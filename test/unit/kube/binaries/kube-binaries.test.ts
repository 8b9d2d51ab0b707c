import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KubeBinariesError, resolveKubeBinaries } from '../../../../src/kube/binaries/kube-binaries.js';
import { kubernetesWrapperGoMod, stagingModulesFrom } from '../../../../src/kube/binaries/kube-release-build.js';

const kubernetesGoMod = `module k8s.io/kubernetes

go 1.26.0

require (
	go.etcd.io/etcd/client/v3 v3.7.0
	k8s.io/api v0.0.0
	k8s.io/kube-openapi v0.0.0-20260721132016-d427ff9ee9ad
	k8s.io/streaming v0.0.0
)

require (
	k8s.io/cri-streaming v0.0.0 // indirect
)

require k8s.io/kms v0.0.0

replace (
	k8s.io/api => ./staging/src/k8s.io/api
)
`;

const temporaryDirs: string[] = [];
afterAll(() => Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function temporaryDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

async function fakeBinaries(names: readonly string[]): Promise<string> {
  const dir = await temporaryDir('kube-assets-');
  for (const name of names) {
    await writeFile(join(dir, name), '#!/bin/sh\n');
    await chmod(join(dir, name), 0o755);
  }
  return dir;
}

describe('stagingModulesFrom', () => {
  it('lists every k8s.io module required at v0.0.0 and nothing pinned to a pseudo-version', () => {
    expect(stagingModulesFrom(kubernetesGoMod)).toEqual(['k8s.io/api', 'k8s.io/cri-streaming', 'k8s.io/kms', 'k8s.io/streaming']);
  });
});

describe('kubernetesWrapperGoMod', () => {
  it('replaces each staging module with the v0 tag matching the release', () => {
    const goMod = kubernetesWrapperGoMod('v1.37.2', '1.26.0', ['k8s.io/api', 'k8s.io/kms']);
    expect(goMod).toContain('require k8s.io/kubernetes v1.37.2');
    expect(goMod).toContain('\tk8s.io/api => k8s.io/api v0.37.2\n');
    expect(goMod).toContain('\tk8s.io/kms => k8s.io/kms v0.37.2\n');
  });
});

describe('resolveKubeBinaries', () => {
  it('takes all three binaries from KUBEBUILDER_ASSETS', async () => {
    const dir = await fakeBinaries(['kube-apiserver', 'etcd', 'kubectl']);
    const binaries = await resolveKubeBinaries({ env: { KUBEBUILDER_ASSETS: dir } });
    expect(binaries).toMatchObject({ source: 'env', etcd: join(dir, 'etcd'), kubectl: join(dir, 'kubectl') });
  });

  it('lets TEST_ASSET_ETCD override the directory', async () => {
    const dir = await fakeBinaries(['kube-apiserver', 'kubectl']);
    const other = await fakeBinaries(['my-etcd']);
    const binaries = await resolveKubeBinaries({ env: { KUBEBUILDER_ASSETS: dir, TEST_ASSET_ETCD: join(other, 'my-etcd') } });
    expect(binaries.etcd).toBe(join(other, 'my-etcd'));
  });

  it('fails with ASSET_MISSING when the configured directory lacks a binary', async () => {
    const dir = await fakeBinaries(['kube-apiserver', 'etcd']);
    await expect(resolveKubeBinaries({ env: { KUBEBUILDER_ASSETS: dir } })).rejects.toMatchObject({ code: 'ASSET_MISSING' });
  });

  it('fails with NOT_BUILT when neither variables nor the cache provide binaries', async () => {
    const cache = await temporaryDir('kube-cache-');
    await mkdir(join(cache, 'kube'), { recursive: true });
    const error: unknown = await resolveKubeBinaries({ env: { IMPLY_OPERATOR_CACHE: cache } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeBinariesError);
    expect(error).toMatchObject({ code: 'NOT_BUILT' });
  });
});
