// deploy/'s RBAC is enough and no more: the RBAC objects of `kubectl kustomize deploy/` go onto a real
// kube-apiserver, the controller runs as users run it under the deploy/ ServiceAccount's token, and an
// ImplyCluster goes through create, Ready and delete. Calls outside the rules are refused (403).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiException, AuthorizationV1Api, CoordinationV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { resolveKubeBinaries } from '../../src/kube/binaries/kube-binaries.js';
import { group, implyAccountPlural, implyClusterPlural, version } from '../../src/implycluster/implycluster-resource.js';
import { KubeLeaseLock } from '../../src/kube/kube-lease-lock.js';
import { pollUntil } from '../../src/kube/poll-until.js';
import { serviceAccountKubeConfig } from '../../src/kube/service-account-kubeconfig.js';
import { aSpec } from '../support/cluster-builders.js';
import { ControllerProcess } from '../support/controller-process.js';
import { freshNamespace, kubeConfig, kubeconfigPath } from '../support/kube.js';
import { OperatorStack } from '../support/operator-stack.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
// Nothing runs pods on a bare control plane, and the global setup has installed the CRDs already.
const rbacKinds = new Set(['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
}

let serviceAccount: { namespace: string; name: string };
let saKubeConfig: KubeConfig;
let saKubeconfigPath: string;

async function kubectlOutput(args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  const { kubectl: bin } = await resolveKubeBinaries();
  const child = run(bin, ['--kubeconfig', kubeconfigPath(), ...args]);
  if (input !== undefined) child.child.stdin?.end(input);
  return child;
}

async function kubectl(args: string[], input?: string): Promise<string> {
  return (await kubectlOutput(args, input)).stdout;
}

/** The HTTP status a call fails with; fails the test if it succeeds. */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiException) return error.code;
    throw error;
  }
  throw new Error('expected the call to be refused');
}

beforeAll(async () => {
  const built = await kubectl(['kustomize', join(root, 'deploy')]);
  const manifests = parseAllDocuments(built).map((d) => d.toJS() as Manifest);
  const rbac = manifests.filter((m) => rbacKinds.has(m.kind));
  await kubectl(['apply', '-f', '-'], rbac.map((m) => stringify(m)).join('---\n'));
  const account = manifests.find((m) => m.kind === 'ServiceAccount');
  serviceAccount = { namespace: account?.metadata.namespace ?? '', name: account?.metadata.name ?? '' };
  const minted = await serviceAccountKubeConfig(kubeConfig(), serviceAccount);
  saKubeConfig = minted.kubeConfig;
  saKubeconfigPath = join(mkdtempSync(join(tmpdir(), 'deploy-rbac-')), 'kubeconfig');
  writeFileSync(saKubeconfigPath, minted.yaml, { mode: 0o600 });
  // The authorizer learns new bindings through an informer: wait until the grant is visible.
  const custom = saKubeConfig.makeApiClient(CustomObjectsApi);
  const granted = await pollUntil(
    () => custom.listClusterCustomObject({ group, version, plural: implyClusterPlural }).then(() => true, () => undefined),
    { timeoutMs: 15_000 },
  );
  expect(granted).toBe(true);
});

let stack: OperatorStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('deploy/ kustomizations', () => {
  it.each(['deploy', 'deploy/emulator'])('%s passes server-side dry run, meeting Pod Security restricted', async (dir) => {
    const path = join(root, dir);
    const namespaces = parseAllDocuments(await kubectl(['kustomize', path])).map((d) => d.toJS() as Manifest).filter((m) => m.kind === 'Namespace');
    // Namespaced objects need their namespace for real; a dry run would not create it.
    await kubectl(['apply', '-f', '-'], namespaces.map((m) => stringify(m)).join('---\n'));
    const { stdout, stderr } = await kubectlOutput(['apply', '--dry-run=server', '-k', path]);
    expect(stdout).toMatch(/deployment\.apps\/\S+ (created|configured|unchanged) \(server dry run\)/);
    expect(stderr).not.toMatch(/PodSecurity/);
  });
});

describe('deploy/ RBAC', () => {
  it('is all the controller needs: an ImplyCluster is created, becomes Ready and is deleted', async () => {
    const s = await OperatorStack.start({ prefix: 'deploy-rbac', withoutController: true });
    stack = s;
    const args = s.controllerArgs.map((arg) => (arg === kubeconfigPath() ? saKubeconfigPath : arg));
    expect(args).toContain(saKubeconfigPath);
    // As deploy/deployment.yaml runs it: leader election on a Lease in the ServiceAccount's namespace.
    s.controller = ControllerProcess.start([...args, '--leader-elect'], { POD_NAMESPACE: serviceAccount.namespace });
    await s.createCluster('clicks', { cluster: aSpec() });
    const ready = await s.waitForCondition('clicks', 'Ready', 'True');
    const lease = await kubeConfig().makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace: serviceAccount.namespace, name: 'imply-operator-leader' });
    expect(lease.spec?.holderIdentity).toBeTruthy();
    // Metadata patch (finalizer, annotation) and status patch went through.
    expect(ready.metadata.finalizers).toContain('cloud.imply.io/finalizer');
    expect(ready.metadata.annotations?.['cloud.imply.io/cluster-id']).toBe(ready.status?.clusterId);
    // The event recorder swallows failures, so look for the events themselves.
    const events = await s.core.listNamespacedEvent({ namespace: s.namespace });
    expect(events.items.filter((e) => e.involvedObject.name === 'clicks').map((e) => e.reason)).toContain('Created');
    await s.custom.deleteNamespacedCustomObject({ group, version, namespace: s.namespace, plural: implyClusterPlural, name: 'clicks' });
    const gone = await pollUntil(
      () => s.getCluster('clicks').then(() => undefined, (error: unknown) => (error instanceof ApiException && error.code === 404 ? true : undefined)),
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(gone).toBe(true);
    expect(await s.apiCalls('deleteCluster')).toBe(1);
    expect(s.controller.output).not.toMatch(/forbidden|"statusCode":403|cannot record event/i);
  });

  it('allows the cluster-wide list and watch of the informers without --watch-namespace', async () => {
    // Running a cluster-wide controller here would reconcile other test files' resources, so the
    // informers' calls are made directly (list) and asked of the authorizer (watch).
    const custom = saKubeConfig.makeApiClient(CustomObjectsApi);
    const core = saKubeConfig.makeApiClient(CoreV1Api);
    await custom.listClusterCustomObject({ group, version, plural: implyClusterPlural });
    await custom.listClusterCustomObject({ group, version, plural: implyAccountPlural });
    await core.listSecretForAllNamespaces();
    const authorization = kubeConfig().makeApiClient(AuthorizationV1Api);
    const user = `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`;
    const canWatch = async (apiGroup: string, resource: string) =>
      (await authorization.createSubjectAccessReview({ body: { spec: { user, resourceAttributes: { group: apiGroup, resource, verb: 'watch' } } } })).status?.allowed;
    expect(await canWatch(group, implyClusterPlural)).toBe(true);
    expect(await canWatch(group, implyAccountPlural)).toBe(true);
    expect(await canWatch('', 'secrets')).toBe(true);
    expect(await canWatch('', 'configmaps')).toBe(false);
  });

  it('covers leader election on a Lease in its own namespace, and only there', async () => {
    const lock = new KubeLeaseLock(saKubeConfig, { namespace: serviceAccount.namespace, name: `rbac-test-${Date.now()}` });
    const record = { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTimeMs: Date.now(), renewTimeMs: Date.now(), leaseTransitions: 0 };
    expect(await lock.get()).toBeUndefined();
    const created = await lock.create(record);
    const renewed = await lock.replace({ ...record, renewTimeMs: Date.now() + 1000 }, created.resourceVersion);
    expect((await lock.get())?.resourceVersion).toBe(renewed.resourceVersion);
    const elsewhere = new KubeLeaseLock(saKubeConfig, { namespace: await freshNamespace('rbac-lease'), name: 'imply-operator' });
    await expect(elsewhere.create(record)).rejects.toThrow();
    const leases = saKubeConfig.makeApiClient(CoordinationV1Api);
    expect(await statusOf(leases.deleteNamespacedLease({ namespace: serviceAccount.namespace, name: 'anything' }))).toBe(403);
  });

  it('refuses everything else', async () => {
    const namespace = await freshNamespace('deploy-rbac-denied');
    const core = saKubeConfig.makeApiClient(CoreV1Api);
    const custom = saKubeConfig.makeApiClient(CustomObjectsApi);
    const clusters = { group, version, namespace, plural: implyClusterPlural };
    expect(await statusOf(core.createNamespacedSecret({ namespace, body: { metadata: { name: 'stolen' } } }))).toBe(403);
    expect(await statusOf(core.readNamespacedSecret({ namespace, name: 'imply-credentials' }))).toBe(403);
    expect(await statusOf(core.listNamespacedPod({ namespace }))).toBe(403);
    expect(await statusOf(core.listNamespacedConfigMap({ namespace }))).toBe(403);
    expect(await statusOf(custom.createNamespacedCustomObject({ ...clusters, body: { apiVersion: `${group}/${version}`, kind: 'ImplyCluster', metadata: { name: 'x' }, spec: { cluster: aSpec() } } }))).toBe(403);
    expect(await statusOf(custom.deleteNamespacedCustomObject({ ...clusters, name: 'x' }))).toBe(403);
    expect(await statusOf(custom.replaceNamespacedCustomObject({ ...clusters, name: 'x', body: {} }))).toBe(403);
    expect(await statusOf(custom.deleteNamespacedCustomObject({ group, version, namespace, plural: implyAccountPlural, name: 'default' }))).toBe(403);
    expect(await statusOf(custom.patchNamespacedCustomObject({ group, version, namespace, plural: implyAccountPlural, name: 'default', body: {} }))).toBe(403);
  });
});
