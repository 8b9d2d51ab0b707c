// Counts of requests by group, operation and status, so tests can count API calls precisely.

/** Which endpoint family a request belonged to. */
export type RequestGroup = 'api' | 'token' | 'admin' | 'other';

/** Counts by operation, then by status code (or `dropped`). */
export type CountsByOperation = Record<string, Record<string, number>>;

/** Body of `GET /_emulator/requests`. */
export interface RequestCounts {
  /** Manager API operations (listClusters, createCluster, …). */
  api: CountsByOperation;
  /** The OAuth token endpoint, under the operation name `token`. */
  token: CountsByOperation;
  /** Admin endpoints (getRequests, addFault, …). */
  admin: CountsByOperation;
  /** Unknown paths and the like, under `unmatched`. */
  other: CountsByOperation;
  /** Sum of each group. */
  totals: Record<RequestGroup, number>;
}

/** Tallies every answered (or dropped) request. */
export class RequestCounter {
  #counts: Record<RequestGroup, CountsByOperation> = { api: {}, token: {}, admin: {}, other: {} };

  /** Counts one request; `status` is the HTTP status or `dropped`. */
  record(group: RequestGroup, operation: string, status: number | 'dropped'): void {
    const byStatus = (this.#counts[group][operation] ??= {});
    byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
  }

  /** A copy of the counts with totals. */
  counts(): RequestCounts {
    const total = (g: CountsByOperation) => Object.values(g).reduce((sum, s) => sum + Object.values(s).reduce((a, b) => a + b, 0), 0);
    const c = structuredClone(this.#counts);
    return { ...c, totals: { api: total(c.api), token: total(c.token), admin: total(c.admin), other: total(c.other) } };
  }

  /** Starts again from zero. */
  reset(): void {
    this.#counts = { api: {}, token: {}, admin: {}, other: {} };
  }
}
