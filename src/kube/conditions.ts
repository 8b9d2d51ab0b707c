// Setting metav1.Conditions the way apimachinery's meta.SetStatusCondition does: lastTransitionTime
// moves only when status flips, so rewriting the same conditions is a no-op.
import type { Condition, ConditionStatus } from './condition.js';

/** A condition as computed, before its transition time is known. */
export interface ConditionUpdate {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
  observedGeneration: number;
}

/** `existing` with each update applied, keeping lastTransitionTime where the status did not change. */
export function mergeConditions(existing: readonly Condition[] | undefined, updates: readonly ConditionUpdate[], now: Date): Condition[] {
  const byType = new Map((existing ?? []).map((c) => [c.type, c]));
  for (const update of updates) {
    const previous = byType.get(update.type);
    const lastTransitionTime = previous !== undefined && previous.status === update.status ? previous.lastTransitionTime : rfc3339(now);
    byType.set(update.type, { ...update, lastTransitionTime });
  }
  return [...byType.values()];
}

/** The condition of one type, if present. */
export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** RFC 3339 without fractional seconds, as metav1.Time serializes. */
export function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
