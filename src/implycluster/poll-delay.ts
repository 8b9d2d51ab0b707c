// When to look at an Imply cluster again: soon while it moves, rarely when it is stable, and with
// jitter so a thousand clusters created together do not poll in lockstep.
import { pollIntervalAnnotation, type ImplyCluster } from './implycluster-resource.js';
import type { PassResult } from './cluster-pass.js';
import { transitionalStates } from '../schema/index.js';

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
  return jitter(durationMsFrom(resource.metadata.annotations?.[pollIntervalAnnotation]) ?? polls.slowMs);
}

/** Parses a duration like `90s`, `5m`, `1h`, `1500ms` or plain seconds; undefined when absent or invalid. */
export function durationMsFrom(text: string | undefined): number | undefined {
  const match = text?.trim().match(/^(\d+(?:\.\d+)?)(ms|s|m|h)?$/);
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000;
  const ms = Number(match[1]) * unit;
  return ms >= 1000 ? ms : undefined;
}
