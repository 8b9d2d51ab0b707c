// Whether a pass may write to the Imply API: never for ObserveOnly, never while paused, never after
// losing leadership, and not again for a generation the API already rejected (400) until the user
// changes the spec. For deletion, also whether the resource is to be released instead.
import { findCondition } from '../kube/conditions.js';
import { pausedAnnotation, releaseAnnotation, type ImplyCluster } from './implycluster-resource.js';
import type { Failure } from './status-for.js';

/** The write decision for one pass. */
export interface WriteGuard {
  canWrite: boolean;
  isPaused: boolean;
  /** managementPolicy ObserveOnly: a difference is reported, never sent. */
  isObserveOnly: boolean;
  /** A rejection of this generation to keep reporting while writes are held back. */
  heldFailure: Failure | undefined;
}

/** The write guard of a resource as it stands; `mayWrite` is the leadership fence. */
export function writeGuardFor(resource: ImplyCluster, mayWrite: () => boolean = () => true): WriteGuard {
  const isPaused = resource.metadata.annotations?.[pausedAnnotation] === 'true';
  const stalled = findCondition(resource.status?.conditions, 'Stalled');
  const rejected = stalled?.status === 'True' && stalled.reason === 'BadArgument' && stalled.observedGeneration === resource.metadata.generation;
  const heldFailure = rejected ? { reason: stalled.reason, message: stalled.message, isStalled: true } : undefined;
  const isObserveOnly = resource.spec.managementPolicy === 'ObserveOnly';
  return { canWrite: !isPaused && !isObserveOnly && !rejected && mayWrite(), isPaused, isObserveOnly, heldFailure };
}

/** The deletion decision: release without touching Imply, or delete (writes allowed or not). */
export interface DeletionGuard {
  /** Set when the finalizer is to be removed without deleting the Imply cluster. */
  release: { reason: string; message: string } | undefined;
  canWrite: boolean;
  isPaused: boolean;
}

/** The deletion guard of a resource being deleted. */
export function deletionGuardFor(resource: ImplyCluster, mayWrite: () => boolean = () => true): DeletionGuard {
  const isPaused = resource.metadata.annotations?.[pausedAnnotation] === 'true';
  const canWrite = !isPaused && mayWrite();
  if (resource.metadata.annotations?.[releaseAnnotation] === 'true') {
    return { release: { reason: 'Released', message: 'Released by annotation cloud.imply.io/release; the Imply cluster was not deleted' }, canWrite, isPaused };
  }
  if (resource.spec.deletionPolicy === 'Orphan' || resource.spec.managementPolicy === 'ObserveOnly') {
    return { release: { reason: 'Orphaned', message: 'Released without deleting the Imply cluster (deletionPolicy Orphan or ObserveOnly)' }, canWrite, isPaused };
  }
  return { release: undefined, canWrite, isPaused };
}
