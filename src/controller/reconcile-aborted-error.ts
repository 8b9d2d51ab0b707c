// The reasons the controller aborts a reconcile's signal with, so reconcilers and logs can tell them apart.
import { CodedError } from './coded-error.js';

/** Stable codes of ReconcileAbortedError. */
export type ReconcileAbortedCode = 'ReconcileTimeout' | 'ControllerStopped';

/** The `signal.reason` of an aborted reconcile: it ran past its timeout, or the controller stopped. */
export class ReconcileAbortedError extends CodedError<ReconcileAbortedCode> {
  constructor(code: ReconcileAbortedCode) {
    super(code, code === 'ReconcileTimeout' ? 'reconcile timed out' : 'controller stopped');
  }
}
