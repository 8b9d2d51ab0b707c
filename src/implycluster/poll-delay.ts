// When to look at an Imply cluster again: soon while it moves, rarely when it is stable, and with
// jitter so a thousand clusters created together do not poll in lockstep.
import { pollIntervalAnnotation, type ImplyCluster } from './implycluster-resource.js';
import type { PassResult } from './cluster-pass.js';
import { transitionalStates } from '../schema/index.js';
import { durationMsFrom } from '../controller/duration.js';

/** Poll intervals of the controller. */
export interface PollIntervals {
  /** While the Imply cluster is transitional or was just written, in ms; default 5000. */
  fastMs: number;
  /** When stable, in ms; default 300000 (5 minutes); annotation cloud.imply.io/poll-interval overrides. */
  slowMs: number;
  /** Upper bound of the wait after a 409 StateConflict, in ms; default 60000. */
  busyMaxMs: number;
}

/** Default poll intervals. */
export const defaultPollIntervals: PollIntervals = { fastMs: 5_000, slowMs: 300_000, busyMaxMs: 60_000 };

/** Delay before the next reconcile of a resource after a pass that did not throw. */
export function pollDelayFor(resource: ImplyCluster, pass: PassResult, polls: PollIntervals, random: () => number): number {
  const jitter = (ms: number) => Math.round(ms * (0.9 + 0.2 * random()));
  if (pass.outcome.isBusy) return Math.min(polls.busyMaxMs, jitter(Math.max(pass.busyRetryAfterMs ?? 0, polls.fastMs)));
  const state = pass.outcome.cluster?.status.state;
  const moving = pass.sent !== undefined || (state !== undefined && transitionalStates.includes(state));
  if (moving) return jitter(polls.fastMs);
  return jitter(pollIntervalMsFrom(resource.metadata.annotations?.[pollIntervalAnnotation]) ?? polls.slowMs);
}

/** The poll interval an annotation asks for: a duration of at least one second, else undefined. */
export function pollIntervalMsFrom(text: string | undefined): number | undefined {
  const ms = durationMsFrom(text);
  return ms !== undefined && ms >= 1000 ? ms : undefined;
}
