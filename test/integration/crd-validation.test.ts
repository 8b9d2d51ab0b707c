// The shipped CRDs against a real kube-apiserver: what `kubectl apply` accepts and rejects.
// The global setup installs every file in crds/; these tests re-apply them with kubectl, as a user
// would, so what is tested is exactly the shipped YAML, then apply manifests with the real kubectl.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { resolveKubeBinaries } from '../../src/kube/binaries/kube-binaries.js';
import { freshNamespace, kubeconfigPath } from '../support/kube.js';

interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const crdsDir = fileURLToPath(new URL('../../crds/', import.meta.url));
let kubectlPath = '';
let namespace = '';

function kubectl(args: readonly string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlPath, ['--kubeconfig', kubeconfigPath(), '--namespace', namespace, ...args], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

const apply = (manifest: object) => kubectl(['apply', '-f', '-'], stringify(manifest));

type Json = Record<string, unknown>;

function implyCluster(name: string, edit: (spec: Json) => void = () => undefined): Json {
  const spec: Json = {
    accountRef: { name: 'acme' },
    clusterName: `${name}-prod`,
    cluster: {
      version: '2021.01',
      desiredState: 'STARTED',
      awsInstanceRole: 'imply-node-role',
      deepStorage: { path: 's3://acme-segments/clicks' },
      master: { replicas: 3, instanceType: 'm5.large' },
      query: { replicas: 2, instanceType: 'c5.2xlarge', brokerRuntimeProperties: [{ name: 'druid.a', value: '1' }] },
      data: { tiers: [{ name: 'hot', replicas: 4, instanceType: 'i3.2xlarge' }] },
      metadataStore: {
        type: 'postgresql',
        host: 'db.internal',
        port: 5432,
        database: 'druid',
        user: 'druid',
        passwordSecretRef: { name: 'clicks-metadata-db', key: 'password' },
      },
      customFiles: [{ name: 'ext.tar.gz', url: 's3://acme/ext.tar.gz', targets: ['MASTER', 'DATA'] }],
    },
  };
  edit(spec);
  return { apiVersion: 'cloud.imply.io/v1alpha1', kind: 'ImplyCluster', metadata: { name }, spec };
}

const cluster = (spec: Json) => spec['cluster'] as Json;
const section = (spec: Json, key: string) => cluster(spec)[key] as Json;

async function expectRejected(manifest: Json, ...fragments: string[]): Promise<string> {
  const result = await apply(manifest);
  expect(result.code, `kubectl apply unexpectedly succeeded: ${result.stdout}`).not.toBe(0);
  for (const fragment of fragments) expect(result.stderr).toContain(fragment);
  return result.stderr;
}

beforeAll(async () => {
  kubectlPath = (await resolveKubeBinaries()).kubectl;
  namespace = await freshNamespace('crd-validation');
  const installed = await kubectl(['apply', '--server-side', '--force-conflicts', '-f', crdsDir]);
  expect(installed.stderr).toBe('');
  const established = await kubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', crdsDir]);
  expect(established.code, established.stderr).toBe(0);
});

describe('ImplyCluster CRD', () => {
  it('is installed, and kubectl explain describes its fields', async () => {
    const result = await kubectl(['explain', 'implycluster.spec.cluster.master.replicas']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Number of master servers, 1–9.');
  });

  it('accepts the product example and applies the documented defaults', async () => {
    const created = await apply(implyCluster('clicks'));
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain('implycluster.cloud.imply.io/clicks created');
    const read = JSON.parse((await kubectl(['get', 'implycluster', 'clicks', '-o', 'json'])).stdout) as { spec: Json };
    expect(read.spec).toMatchObject({ deletionPolicy: 'Delete', managementPolicy: 'Manage' });
    expect(section(read.spec, 'deepStorage')).toMatchObject({ type: 's3' });
    expect(cluster(read.spec)).toMatchObject({ encryptVolumes: true });
  });

  it('is listed by its short name with the STATE, VERSION, READY, SYNCED and AGE columns', async () => {
    await apply(implyCluster('columns'));
    const result = await kubectl(['get', 'ic', 'columns']);
    expect(result.stdout.split('\n')[0]?.split(/\s+/).filter(Boolean)).toEqual(['NAME', 'STATE', 'VERSION', 'READY', 'SYNCED', 'AGE']);
    expect(result.stdout).toContain('2021.01');
  });

  it('defaults accountRef to the account named "default"', async () => {
    await apply(implyCluster('default-account', (spec) => delete spec['accountRef']));
    const read = await kubectl(['get', 'ic', 'default-account', '-o', 'jsonpath={.spec.accountRef.name}']);
    expect(read.stdout).toBe('default');
  });

  it('rejects an out-of-range replica count, naming the field', async () => {
    await expectRejected(implyCluster('too-many', (spec) => (section(spec, 'master')['replicas'] = 10)), 'spec.cluster.master.replicas');
  });

  it('rejects a deep storage path that is not s3://bucket[/prefix]', async () => {
    await expectRejected(implyCluster('bad-path', (spec) => (section(spec, 'deepStorage')['path'] = 'gs://bucket/x')), 'spec.cluster.deepStorage.path');
  });

  it('rejects duplicate tier names', async () => {
    const tier = { name: 'hot', replicas: 1, instanceType: 'i3.large' };
    const stderr = await expectRejected(implyCluster('dup-tiers', (spec) => (section(spec, 'data')['tiers'] = [tier, tier])), 'spec.cluster.data.tiers[1]');
    expect(stderr).toContain('Duplicate value');
  });

  it('rejects duplicate runtime property names', async () => {
    const property = { name: 'druid.a', value: '1' };
    await expectRejected(
      implyCluster('dup-props', (spec) => (section(spec, 'query')['brokerRuntimeProperties'] = [property, { ...property, value: '2' }])),
      'spec.cluster.query.brokerRuntimeProperties[1]',
      'Duplicate value',
    );
  });

  it('rejects an unknown enum value', async () => {
    await expectRejected(implyCluster('bad-state', (spec) => (cluster(spec)['desiredState'] = 'PAUSED')), 'spec.cluster.desiredState', 'Unsupported value');
  });

  it('rejects a password in the spec: secrets come from a Secret', async () => {
    await expectRejected(implyCluster('inline-password', (spec) => (section(spec, 'metadataStore')['password'] = 'hunter2')), 'spec.cluster.metadataStore.password');
  });

  it('requires host, port, database and user for an external metadata store', async () => {
    await expectRejected(
      implyCluster('no-host', (spec) => delete section(spec, 'metadataStore')['host']),
      'spec.cluster.metadataStore',
      'host, port, database and user are required',
    );
  });

  it('rejects changing clusterName once set', async () => {
    expect((await apply(implyCluster('rename'))).code).toBe(0);
    await expectRejected(implyCluster('rename', (spec) => (spec['clusterName'] = 'another-name')), 'spec.clusterName', 'clusterName is immutable once set');
    await expectRejected(implyCluster('rename', (spec) => delete spec['clusterName']), 'clusterName is immutable once set');
  });

  it('rejects changing accountRef, including by removing it', async () => {
    expect((await apply(implyCluster('move'))).code).toBe(0);
    await expectRejected(implyCluster('move', (spec) => (spec['accountRef'] = { name: 'other' })), 'spec.accountRef', 'accountRef is immutable');
    await expectRejected(implyCluster('move', (spec) => delete spec['accountRef']), 'accountRef is immutable');
  });

  it('still accepts other spec changes to an existing cluster', async () => {
    expect((await apply(implyCluster('scale'))).code).toBe(0);
    const scaled = await apply(implyCluster('scale', (spec) => (section(spec, 'query')['replicas'] = 5)));
    expect(scaled.stderr).toBe('');
    expect(scaled.stdout).toContain('configured');
  });
});

describe('ImplyAccount CRD', () => {
  const account = (spec: Json): Json => ({ apiVersion: 'cloud.imply.io/v1alpha1', kind: 'ImplyAccount', metadata: { name: 'acme' }, spec });

  it('accepts a valid account, applies defaults, and prints READY and URL', async () => {
    const created = await apply(account({ url: 'https://acme.implycloud.com/api/v1', credentialsSecretRef: { name: 'acme-imply-credentials' } }));
    expect(created.stderr).toBe('');
    const read = await kubectl(['get', 'implyaccount', 'acme', '-o', 'jsonpath={.spec.requestsPerSecond} {.spec.burst}']);
    expect(read.stdout).toBe('5 10');
    const list = await kubectl(['get', 'implyaccounts']);
    expect(list.stdout.split('\n')[0]?.split(/\s+/).filter(Boolean)).toEqual(['NAME', 'READY', 'URL', 'AGE']);
  });

  it('rejects a URL that is not http(s) and a zero request budget', async () => {
    await expectRejected(account({ url: 'ftp://acme', credentialsSecretRef: { name: 'c' } }), 'spec.url');
    await expectRejected(account({ url: 'https://acme', credentialsSecretRef: { name: 'c' }, requestsPerSecond: 0 }), 'spec.requestsPerSecond');
  });
});
