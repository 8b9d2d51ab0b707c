import { describe, expect, it } from 'vitest';
import { mergeConditions } from '../../../src/kube/conditions.js';

const ready = (status: 'True' | 'False', reason = 'R') => ({ type: 'Ready', status, reason, message: '', observedGeneration: 1 });

describe('mergeConditions', () => {
  it('keeps lastTransitionTime when the status does not flip, and moves it when it does', () => {
    const first = mergeConditions(undefined, [ready('False')], new Date('2026-01-01T00:00:00Z'));
    const same = mergeConditions(first, [ready('False', 'Other')], new Date('2026-01-02T00:00:00Z'));
    expect(same[0]?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(same[0]?.reason).toBe('Other');
    const flipped = mergeConditions(same, [ready('True')], new Date('2026-01-03T00:00:00.123Z'));
    expect(flipped[0]?.lastTransitionTime).toBe('2026-01-03T00:00:00Z');
  });

  it('keeps conditions of other types', () => {
    const existing = mergeConditions(undefined, [{ ...ready('True'), type: 'Synced' }], new Date(0));
    expect(mergeConditions(existing, [ready('True')], new Date(0)).map((c) => c.type)).toEqual(['Synced', 'Ready']);
  });
});
