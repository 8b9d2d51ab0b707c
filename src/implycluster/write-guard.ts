// Whether this pass may write to the Imply API: never for ObserveOnly, never while paused, and not
// again for a generation the API already rejected (400), until the user changes the spec.
import { findCondition } from '../kube/conditions.js';
import { pausedAnnotation, type ImplyCluster } from './implycluster-resource.js';
import type { Failure } from './status-for.js';

/** The write decision for one pass. */
export interface WriteGuard {
  canWrite: boolean;
  isPaused: boolean;
  /** A rejection of this generation to keep reporting while writes are held back. */
  heldFailure: Failure | undefined;
}

/** The write guard of a resource as it stands. */
export function writeGuardFor(resource: ImplyCluster): WriteGuard {
  const isPaused = resource.metadata.annotations?.[pausedAnnotation] === 'true';
  const stalled = findCondition(resource.status?.conditions, 'Stalled');
  const rejected = stalled?.status === 'True' && stalled.reason === 'BadArgument' && stalled.observedGeneration === resource.metadata.generation;
  const heldFailure = rejected ? { reason: stalled.reason, message: stalled.message, isStalled: true } : undefined;
  const observeOnly = resource.spec.managementPolicy === 'ObserveOnly';
  return { canWrite: !isPaused && !observeOnly && !rejected, isPaused, heldFailure };
}
