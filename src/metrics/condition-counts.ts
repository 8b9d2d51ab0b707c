// Counts of resources by condition, for the imply_resources gauge: computed from the informer
// caches at scrape time, so the numbers can never drift from what the controller sees.

/** How many resources of `kind` have condition `condition` at `status`. */
export interface ConditionCount {
  readonly kind: string;
  readonly condition: string;
  readonly status: string;
  readonly count: number;
}

/** The part of a resource this counts: its status conditions, if any. */
export interface ResourceWithConditions {
  readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] | undefined } | undefined;
}

/** One ConditionCount per (condition type, status) present among `resources` of `kind`. */
export function conditionCountsFor(kind: string, resources: Iterable<ResourceWithConditions>): ConditionCount[] {
  const counts = new Map<string, ConditionCount>();
  for (const resource of resources) {
    for (const { type, status } of resource.status?.conditions ?? []) {
      const key = `${type}\u0000${status}`;
      const count = counts.get(key)?.count ?? 0;
      counts.set(key, { kind, condition: type, status, count: count + 1 });
    }
  }
  return [...counts.values()];
}
