// The promises of deploy/ that the API server does not check: least-privilege RBAC (any change to
// the rules is deliberate), a hardened pod, probes and metrics on the controller's ports, selectors
// that match, and args that `imply-operator` accepts.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { V1ClusterRole, V1Deployment, V1PodDisruptionBudget, V1PolicyRule, V1Role, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { controllerCommand } from '../../src/cli/controller-command.js';
import { parseFlags } from '../../src/cli/command-line.js';
import { emulatorCommand } from '../../src/emulator/emulator-command.js';

const deployDir = join(import.meta.dirname, '..', '..', 'deploy');
const load = <T>(file: string): T => parse(readFileSync(join(deployDir, file), 'utf8')) as T;
const rulesOf = (rules: V1PolicyRule[] = []) =>
  rules.flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).map((res) => `${g}/${res}: ${[...r.verbs].sort().join(',')}`))).sort();

const controller = load<V1Deployment>('deployment.yaml');
const emulator = load<V1Deployment>('emulator/deployment.yaml');

describe('deploy/ RBAC', () => {
  it('grants the controller exactly the calls it makes, cluster-wide', () => {
    expect(rulesOf(load<V1ClusterRole>('cluster-role.yaml').rules)).toEqual([
      '/events: create',
      '/secrets: list,watch',
      'cloud.imply.io/implyaccounts/status: patch',
      'cloud.imply.io/implyaccounts: get,list,watch',
      'cloud.imply.io/implyclusters/status: patch',
      'cloud.imply.io/implyclusters: get,list,patch,watch',
    ]);
  });

  it('grants leader election on leases only in its own namespace', () => {
    const role = load<V1Role>('leader-election-role.yaml');
    expect(role.metadata?.namespace).toBe('imply-operator-system');
    expect(rulesOf(role.rules)).toEqual(['coordination.k8s.io/leases: create,get,update']);
  });
});

describe('deploy/ kustomization', () => {
  it('lists every manifest in deploy/ (argocd/ and emulator/ are separate)', () => {
    const kustomization = load<{ resources: string[] }>('kustomization.yaml');
    const manifests = readdirSync(deployDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(['crds', ...manifests].sort());
  });

  it('lists every manifest in deploy/emulator/', () => {
    const kustomization = load<{ resources: string[] }>('emulator/kustomization.yaml');
    const manifests = readdirSync(join(deployDir, 'emulator')).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(manifests.sort());
  });
});

describe.each([
  ['controller', controller],
  ['emulator', emulator],
])('the %s Deployment', (_, deployment) => {
  const pod = deployment.spec?.template.spec;
  const container = pod?.containers[0];

  it('runs non-root with a read-only root filesystem, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod?.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(container?.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container?.securityContext?.privileged).toBeUndefined();
  });

  it('sets requests and limits', () => {
    expect(Object.keys(container?.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container?.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
  });

  it('selects its own pods', () => {
    expect(deployment.spec?.template.metadata?.labels).toMatchObject(deployment.spec?.selector.matchLabels ?? { missing: true });
  });
});

describe('the controller Deployment', () => {
  const pod = controller.spec?.template.spec;
  const container = pod?.containers[0];
  const portNamed = (name: string) => container?.ports?.find((p) => p.name === name)?.containerPort;

  it('runs two replicas as the deploy/ ServiceAccount', () => {
    expect(controller.spec?.replicas).toBe(2);
    expect(pod?.serviceAccountName).toBe(load<{ metadata: { name: string } }>('service-account.yaml').metadata.name);
  });

  it('passes only flags of `imply-operator controller`', () => {
    const [command, ...flags] = container?.args ?? [];
    expect(command).toBe('controller');
    expect(flags).toContain('--leader-elect');
    expect(() => parseFlags(controllerCommand, flags, {})).not.toThrow();
  });

  it('probes /healthz and /readyz on 8081 and exposes metrics on 8080', () => {
    expect(portNamed('probes')).toBe(8081);
    expect(portNamed('metrics')).toBe(8080);
    expect(container?.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'probes' });
    expect(container?.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: 'probes' });
  });

  it('tells the controller its namespace for the Lease', () => {
    expect(container?.env?.find((e) => e.name === 'POD_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.namespace');
  });

  it('has a metrics Service and a PodDisruptionBudget that select its pods', () => {
    const labels = controller.spec?.template.metadata?.labels ?? {};
    const service = load<V1Service>('metrics-service.yaml');
    const pdb = load<V1PodDisruptionBudget>('pod-disruption-budget.yaml');
    expect(labels).toMatchObject(service.spec?.selector ?? { missing: true });
    expect(service.spec?.ports).toEqual([expect.objectContaining({ name: 'metrics', port: 8080, targetPort: 'metrics' })]);
    expect(labels).toMatchObject(pdb.spec?.selector?.matchLabels ?? { missing: true });
    expect(pdb.spec?.minAvailable).toBe(1);
  });
});

describe('the emulator Deployment', () => {
  const container = emulator.spec?.template.spec?.containers[0];

  it('passes only flags of `imply-operator emulator` and takes the token from a Secret', () => {
    const [command, ...flags] = container?.args ?? [];
    expect(command).toBe('emulator');
    expect(() => parseFlags(emulatorCommand, flags, {})).not.toThrow();
    expect(flags.join(' ')).not.toContain('token');
    expect(container?.env?.find((e) => e.name === 'IMPLY_EMULATOR_TOKEN')?.valueFrom?.secretKeyRef?.name).toBe(
      load<{ metadata: { name: string } }>('emulator/token-secret.yaml').metadata.name,
    );
  });
});
