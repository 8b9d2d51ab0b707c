import { describe, expect, it } from 'vitest';
import {
  queueActionFor,
  resultLabelFor,
  type QueueAction,
  type ReconcileOutcome,
  type ReconcileResultLabel,
} from '../../../src/controller/queue-action.js';
import { TerminalError } from '../../../src/controller/terminal-error.js';

class BusyError extends Error {
  readonly isBusy = true;
  constructor(readonly retryAfterMs?: number) {
    super('busy');
  }
}

const plain = new Error('boom');
const retryAfter = Object.assign(new Error('slow down'), { retryAfterMs: 7000 });
const terminal = new TerminalError('InvalidSpec', 'bad spec');

const table: [string, ReconcileOutcome, QueueAction, ReconcileResultLabel][] = [
  ['success', { kind: 'success', result: {} }, { kind: 'forget' }, 'success'],
  ['success, requeueAfter', { kind: 'success', result: { requeueAfterMs: 5000 } }, { kind: 'requeueAfter', ms: 5000 }, 'requeue_after'],
  ['success, requeueAfter 0', { kind: 'success', result: { requeueAfterMs: 0 } }, { kind: 'requeueAfter', ms: 0 }, 'requeue_after'],
  ['success, negative requeueAfter', { kind: 'success', result: { requeueAfterMs: -3 } }, { kind: 'requeueAfter', ms: 0 }, 'requeue_after'],
  ['success, infinite requeueAfter', { kind: 'success', result: { requeueAfterMs: Infinity } }, { kind: 'forget' }, 'success'],
  ['error', { kind: 'error', error: plain }, { kind: 'rateLimited' }, 'error'],
  ['non-Error thrown', { kind: 'error', error: 'string' }, { kind: 'rateLimited' }, 'error'],
  ['error with retryAfterMs', { kind: 'error', error: retryAfter }, { kind: 'rateLimited', minDelayMs: 7000 }, 'error'],
  ['wrapped retryAfterMs', { kind: 'error', error: new Error('ctx', { cause: retryAfter }) }, { kind: 'rateLimited', minDelayMs: 7000 }, 'error'],
  ['invalid retryAfterMs', { kind: 'error', error: Object.assign(new Error('x'), { retryAfterMs: Number.NaN }) }, { kind: 'rateLimited' }, 'error'],
  ['busy', { kind: 'error', error: new BusyError() }, { kind: 'rateLimited' }, 'requeue'],
  ['busy with retryAfterMs', { kind: 'error', error: new BusyError(2000) }, { kind: 'rateLimited', minDelayMs: 2000 }, 'requeue'],
  ['terminal', { kind: 'error', error: terminal }, { kind: 'terminal' }, 'error'],
  ['wrapped terminal', { kind: 'error', error: new Error('ctx', { cause: terminal }) }, { kind: 'terminal' }, 'error'],
];

describe('queueActionFor / resultLabelFor', () => {
  it.each(table)('%s', (_name, outcome, action, label) => {
    expect(queueActionFor(outcome)).toEqual(action);
    expect(resultLabelFor(outcome)).toBe(label);
  });

  it('survives a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(queueActionFor({ kind: 'error', error: a })).toEqual({ kind: 'rateLimited' });
  });
});

describe('TerminalError', () => {
  it('carries a stable code and its cause', () => {
    const cause = new Error('root');
    const error = new TerminalError('InvalidSpec', 'bad', { cause });
    expect(error.code).toBe('InvalidSpec');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('TerminalError');
  });
});
