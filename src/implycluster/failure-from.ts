// How errors met during a reconcile read on the resource. One place, so every error class gets
// the same reason, message and stalled-ness wherever it was raised.
import {
  AlreadyExistsError,
  BadArgumentError,
  ForbiddenError,
  InvalidResponseError,
  ManagerApiError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
} from '../manager/errors.js';
import type { Failure } from './status-for.js';
import { CodedError } from '../controller/coded-error.js';

/** A reconcile could not proceed for a reason of its own (not an API error): missing account, Secret, … */
export class ReconcileBlockedError extends CodedError<string> {
  constructor(
    /** The Synced reason, e.g. AccountNotFound, CredentialsNotFound, Conflict. */
    code: string,
    message: string,
    /** Whether progress needs a human. */
    readonly isStalled = false,
  ) {
    super(code, message);
  }
}

/** The Failure a thrown error means for the resource's conditions. */
export function failureFrom(error: unknown): Failure {
  if (error instanceof ReconcileBlockedError) return { reason: error.code, message: error.message, isStalled: error.isStalled };
  if (error instanceof BadArgumentError) {
    const details = error.details.map((d) => `${d.target}: ${d.message}`).join('; ');
    return { reason: 'BadArgument', message: details ? `Imply API rejected the spec: ${details}` : 'Imply API rejected the spec', isStalled: true };
  }
  if (error instanceof UnauthorizedError || error instanceof ForbiddenError) {
    const what = error instanceof ForbiddenError ? 'lack the manage-clusters role' : 'were refused';
    return { reason: 'Unauthorized', message: `The account's credentials ${what}`, isStalled: true };
  }
  if (error instanceof AlreadyExistsError) return { reason: 'Conflict', message: 'Imply cluster name was taken while creating; looking again', isStalled: false };
  if (error instanceof RateLimitedError) return { reason: 'ApiUnavailable', message: 'Imply API is rate limiting requests', isStalled: false };
  if (error instanceof UnavailableError) return { reason: 'ApiUnavailable', message: 'Imply API is unavailable', isStalled: false };
  if (error instanceof InvalidResponseError) {
    return { reason: 'ApiUnavailable', message: `Imply API sent an invalid response${error.field ? ` (${error.field})` : ''}`, isStalled: false };
  }
  if (error instanceof ManagerApiError) return { reason: 'ApiUnavailable', message: `Imply API error: ${error.code}`, isStalled: false };
  return { reason: 'ReconcileError', message: 'Internal error; see the controller log', isStalled: false };
}
