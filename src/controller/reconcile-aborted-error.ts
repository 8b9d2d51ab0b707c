// The reasons the controller aborts a reconcile's signal with, so reconcilers and logs can tell them apart.

/** Stable codes of ReconcileAbortedError. */
export type ReconcileAbortedCode = 'ReconcileTimeout' | 'ControllerStopped';

/** The `signal.reason` of an aborted reconcile: it ran past its timeout, or the controller stopped. */
export class ReconcileAbortedError extends Error {
  /** Why the reconcile was aborted. */
  readonly code: ReconcileAbortedCode;

  constructor(code: ReconcileAbortedCode) {
    super(code === 'ReconcileTimeout' ? 'reconcile timed out' : 'controller stopped');
    this.name = new.target.name;
    this.code = code;
  }
}
