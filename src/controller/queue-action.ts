// The one place that decides what happens to a key after a reconcile (controller-runtime's
// reconcileHandler), as pure functions so the decision is table-tested apart from the workers.
import type { ReconcileResult, RequeueHints } from './reconciler.js';
import { TerminalError } from './terminal-error.js';

/** How a reconcile ended. */
export type ReconcileOutcome =
  | { readonly kind: 'success'; readonly result: ReconcileResult }
  | { readonly kind: 'error'; readonly error: unknown };

/** What the controller does with the key next. */
export type QueueAction =
  | { readonly kind: 'forget' }
  | { readonly kind: 'requeueAfter'; readonly ms: number }
  | { readonly kind: 'rateLimited'; readonly minDelayMs?: number }
  | { readonly kind: 'terminal' };

/** controller-runtime's `result` label of controller_runtime_reconcile_total. */
export type ReconcileResultLabel = 'success' | 'error' | 'requeue' | 'requeue_after';

// Bounds the walk along `cause`, in case of a cycle.
const maxCauseDepth = 10;

/** The error and its causes, outermost first. */
function causeChainOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < maxCauseDepth) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function hintOf<K extends keyof RequeueHints>(error: unknown, name: K): RequeueHints[K] | undefined {
  for (const link of causeChainOf(error)) {
    if (typeof link === 'object' && link !== null && name in link) {
      const value = (link as RequeueHints)[name];
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

/** The TerminalError in `error`'s cause chain, if any. */
export function terminalErrorIn(error: unknown): TerminalError | undefined {
  return causeChainOf(error).find((link): link is TerminalError => link instanceof TerminalError);
}

/** Whether `error` (or a cause) declares itself busy via `isBusy: true`. */
export function isBusyError(error: unknown): boolean {
  return hintOf(error, 'isBusy') === true;
}

/** The `retryAfterMs` declared by `error` or a cause, when a positive finite number. */
export function retryAfterMsOf(error: unknown): number | undefined {
  const value = hintOf(error, 'retryAfterMs');
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Success → forget (and addAfter when `requeueAfterMs` is finite; negative counts as 0);
 * TerminalError → terminal (forget, no requeue); any other error → rate-limited, no sooner than
 * its `retryAfterMs`.
 */
export function queueActionFor(outcome: ReconcileOutcome): QueueAction {
  if (outcome.kind === 'success') {
    const ms = outcome.result.requeueAfterMs;
    if (ms === undefined || !Number.isFinite(ms)) return { kind: 'forget' };
    return { kind: 'requeueAfter', ms: Math.max(0, ms) };
  }
  if (terminalErrorIn(outcome.error) !== undefined) return { kind: 'terminal' };
  const minDelayMs = retryAfterMsOf(outcome.error);
  return minDelayMs === undefined ? { kind: 'rateLimited' } : { kind: 'rateLimited', minDelayMs };
}

/** The metrics label of an outcome: busy errors count as `requeue`, not `error`. */
export function resultLabelFor(outcome: ReconcileOutcome): ReconcileResultLabel {
  const action = queueActionFor(outcome);
  if (action.kind === 'forget') return 'success';
  if (action.kind === 'requeueAfter') return 'requeue_after';
  if (action.kind === 'rateLimited' && isBusyError(outcome.kind === 'error' ? outcome.error : undefined)) {
    return 'requeue';
  }
  return 'error';
}
