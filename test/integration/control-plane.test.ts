import { resolve } from 'node:path';
import {
  ApiException,
  ApiextensionsV1Api,
  CustomObjectsApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { installCrds, pollUntil, serviceAccountKubeConfig } from '../support/control-plane.js';
import { freshNamespace, kubeConfig } from '../support/kube.js';

interface Widget {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec: { replicas: number; color?: string };
  status?: { observedReplicas?: number };
}

const widgets = { group: 'test.imply.io', version: 'v1', plural: 'widgets' } as const;
const fixtureCrd = resolve(import.meta.dirname, '..', 'support', 'fixtures', 'widget-crd.yaml');
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function widget(name: string, replicas: number, extra: Partial<Widget> = {}): Widget {
  return { apiVersion: 'test.imply.io/v1', kind: 'Widget', metadata: { name }, spec: { replicas }, ...extra };
}

function customObjects(): CustomObjectsApi {
  return kubeConfig().makeApiClient(CustomObjectsApi);
}

async function apiErrorOf(promise: Promise<unknown>): Promise<ApiException<unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) return error as ApiException<unknown>;
    throw error;
  }
  throw new Error('expected the API call to fail');
}

describe('control plane', () => {
  it('installs the fixture CRD and reports it Established', async () => {
    const names = await installCrds(kubeConfig(), { paths: [fixtureCrd] });
    expect(names).toEqual(['widgets.test.imply.io']);
    const crd = await kubeConfig().makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: names[0] ?? '' });
    expect(crd.status?.conditions?.find((condition) => condition.type === 'Established')?.status).toBe('True');
  });

  it('rejects an object that violates the schema, naming the field', async () => {
    const namespace = await freshNamespace('schema');
    const error = await apiErrorOf(
      customObjects().createNamespacedCustomObject({ ...widgets, namespace, body: widget('too-big', 50) }),
    );
    expect(error.code).toBe(422);
    expect(String(error.body)).toContain('spec.replicas');
  });

  it('keeps status behind the status subresource', async () => {
    const namespace = await freshNamespace('status');
    const api = customObjects();
    const name = 'statusful';
    const created = (await api.createNamespacedCustomObject({
      ...widgets,
      namespace,
      body: widget(name, 1, { status: { observedReplicas: 9 } }),
    })) as Widget;
    expect(created.status).toBeUndefined();

    const withStatus = { ...created, status: { observedReplicas: 1 } };
    const updated = (await api.replaceNamespacedCustomObjectStatus({ ...widgets, namespace, name, body: withStatus })) as Widget;
    expect(updated.status?.observedReplicas).toBe(1);

    const patch = { spec: { replicas: 3 }, status: { observedReplicas: 7 } };
    const patched = (await api.patchNamespacedCustomObject({ ...widgets, namespace, name, body: patch }, mergePatch)) as Widget;
    expect(patched.spec.replicas).toBe(3);
    expect(patched.status?.observedReplicas).toBe(1);
  });

  it('delivers create, update and delete to a watch', async () => {
    const namespace = await freshNamespace('watch');
    const api = customObjects();
    const seen: string[] = [];
    const path = `/apis/${widgets.group}/${widgets.version}/namespaces/${namespace}/${widgets.plural}`;
    const controller = await new Watch(kubeConfig()).watch(
      path,
      {},
      (phase: string, object: Widget) => seen.push(`${phase} ${object.metadata.name} ${String(object.spec.replicas)}`),
      () => undefined,
    );
    try {
      await api.createNamespacedCustomObject({ ...widgets, namespace, body: widget('watched', 1) });
      await api.patchNamespacedCustomObject({ ...widgets, namespace, name: 'watched', body: { spec: { replicas: 2 } } }, mergePatch);
      await api.deleteNamespacedCustomObject({ ...widgets, namespace, name: 'watched' });
      const expected = ['ADDED watched 1', 'MODIFIED watched 2', 'DELETED watched 2'];
      await pollUntil(async () => (seen.length >= expected.length ? true : undefined), { timeoutMs: 15_000 });
      expect(seen).toEqual(expected);
    } finally {
      controller.abort();
    }
  });

  it('refuses an update with a stale resourceVersion with 409', async () => {
    const namespace = await freshNamespace('conflict');
    const api = customObjects();
    const stale = (await api.createNamespacedCustomObject({ ...widgets, namespace, body: widget('contended', 1) })) as Widget;
    await api.replaceNamespacedCustomObject({ ...widgets, namespace, name: 'contended', body: { ...stale, spec: { replicas: 2 } } });
    const error = await apiErrorOf(
      api.replaceNamespacedCustomObject({ ...widgets, namespace, name: 'contended', body: { ...stale, spec: { replicas: 3 } } }),
    );
    expect(error.code).toBe(409);
  });

  it('gives a ServiceAccount kubeconfig exactly what its Role grants', async () => {
    const namespace = await freshNamespace('rbac');
    const admin = kubeConfig();
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: 'widget-reader' },
        rules: [{ apiGroups: [widgets.group], resources: [widgets.plural], verbs: ['get', 'list', 'watch'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'widget-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'widget-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace }],
      },
    });
    const reader = (await serviceAccountKubeConfig(admin, { namespace, name: 'reader' })).kubeConfig.makeApiClient(CustomObjectsApi);

    // The authorizer sees new RBAC objects through an informer, so the grant may lag by a moment.
    const list = await pollUntil(
      () => reader.listNamespacedCustomObject({ ...widgets, namespace }).then(
        (value: unknown) => value,
        () => undefined,
      ),
      { timeoutMs: 15_000 },
    );
    expect(list).toMatchObject({ items: [] });

    const createError = await apiErrorOf(reader.createNamespacedCustomObject({ ...widgets, namespace, body: widget('forbidden', 1) }));
    expect(createError.code).toBe(403);
    const otherNamespace = await freshNamespace('rbac-other');
    const listError = await apiErrorOf(reader.listNamespacedCustomObject({ ...widgets, namespace: otherNamespace }));
    expect(listError.code).toBe(403);
  });
});
