// The pure heart of the controller: given what the user wants and what Imply has, what one write
// (if any) moves the cluster closer. The reconciler only sequences observe → plan → act.
import { transitionalStates, type Cluster, type ClusterSpec, type ObservedCluster } from '../schema/index.js';
import type { ClusterPatch } from '../manager/manager-api.js';
import { mergePatchFor, specDifferences, type Difference } from './spec-diff.js';

/** What to do next. At most one API write per plan. */
export type Plan =
  /** No cluster exists: create it. */
  | { kind: 'create'; cluster: Cluster }
  /** The cluster is transitional: write nothing, poll again soon. */
  | { kind: 'wait' }
  /** Send a merge patch of the changed fields; `start`/`stop` when desiredState is among them. */
  | { kind: 'update' | 'start' | 'stop'; patch: ClusterPatch; differences: Difference[] }
  /** The cluster matches the spec. */
  | { kind: 'none' };

/** The inputs of one plan. */
export interface PlanInput {
  /** Imply cluster name (`metadata.name`) to create with. */
  name: string;
  /** The desired spec, owner tag included, password included when the user references one. */
  desired: ClusterSpec;
  /** The cluster as observed, or undefined when none exists. */
  observed: ObservedCluster | undefined;
  /** True when the referenced password differs from the one last sent (the API never returns it). */
  passwordChanged?: boolean;
}

/** Plans the next write for one ImplyCluster. Pure: same input, same plan. */
export function planChanges({ name, desired, observed, passwordChanged = false }: PlanInput): Plan {
  if (observed === undefined) return { kind: 'create', cluster: { metadata: { name }, spec: desired } };
  if (transitionalStates.includes(observed.status.state)) return { kind: 'wait' };
  const differences = specDifferences(desired, observed.spec);
  if (passwordChanged && desired.metadataStore?.password !== undefined) {
    differences.push({ path: 'metadataStore.password', desired: '(secret)', observed: '(secret)' });
  }
  if (differences.length === 0) return { kind: 'none' };
  const patch: ClusterPatch = { spec: mergePatchFor(desired, differences) };
  return { kind: kindOf(differences, desired), patch, differences };
}

function kindOf(differences: readonly Difference[], desired: ClusterSpec): 'update' | 'start' | 'stop' {
  if (!differences.some((d) => d.path === 'desiredState')) return 'update';
  return desired.desiredState === 'STOPPED' ? 'stop' : 'start';
}

/** Drift worth reporting: differences of a spec the controller already applied, secrets left out. */
export function driftFrom(differences: readonly Difference[]): Difference[] {
  return differences.filter((d) => d.path !== 'metadataStore.password');
}
