// The failures of leader election, with stable codes so callers and tests branch on `code`.
import { CodedError } from './coded-error.js';

/** Stable codes of LeaderElectionError. */
export type LeaderElectionErrorCode =
  /** assertLeader(): this process does not hold a lease renewed within the renew deadline. */
  | 'NotLeader'
  /** A create or replace of the Lease lost an optimistic-concurrency race (HTTP 409). */
  | 'LeaseConflict'
  /** LeaderElector options break leaseDuration > renewDeadline > retryPeriod > 0, or the identity is empty. */
  | 'InvalidOptions';

/** A leader-election failure; `code` is stable, the message is for people. */
export class LeaderElectionError extends CodedError<LeaderElectionErrorCode> {}

/** True when `error` is a LeaderElectionError with `code`. */
export function isLeaderElectionError(error: unknown, code: LeaderElectionErrorCode): error is LeaderElectionError {
  return error instanceof LeaderElectionError && error.code === code;
}
