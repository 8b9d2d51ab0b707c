// The metrics hook: one observation per HTTP attempt, exported as Prometheus metrics elsewhere.
import type { ManagerApi } from './manager-api.js';

/** Operations a request can belong to: the ManagerApi methods plus `token` (OAuth token requests). */
export type ManagerOperation = keyof ManagerApi | 'token';

/** One HTTP attempt: who, what, how it ended and how long it took. */
export interface RequestObservation {
  /** Account label given to the client (or the auth provider). */
  account: string;
  /** Operation the attempt belongs to. */
  operation: ManagerOperation;
  /** HTTP status, or `network` (no response) or `timeout` (the per-request timeout fired). */
  statusCode: number | 'network' | 'timeout';
  /** Wall time of the attempt in milliseconds, from sending to the end of the body. */
  durationMs: number;
}

/** Receives every observation; must not throw (a throwing hook is ignored). */
export type OnRequest = (observation: RequestObservation) => void;

/** Calls the hook, if any, shielding the request from a faulty hook. */
export function reportRequest(onRequest: OnRequest | undefined, observation: RequestObservation): void {
  if (onRequest === undefined) return;
  try {
    onRequest(observation);
  } catch {
    // Metrics must never break a request.
  }
}
