import { describe, expect, it } from 'vitest';
import { mergePatchBetween } from '../../../src/kube/merge-patch-between.js';

describe('mergePatchBetween', () => {
  it('sets changed values, nulls removed keys, recurses into objects and replaces arrays', () => {
    const from = { a: 1, b: { c: 1, d: 2 }, e: [1, 2], gone: 'x' };
    const to = { a: 2, b: { c: 1 }, e: [1], added: { f: true } };
    expect(mergePatchBetween(from, to)).toEqual({ gone: null, a: 2, b: { d: null }, e: [1], added: { f: true } });
  });

  it('is empty for equal objects', () => {
    expect(mergePatchBetween({ a: { b: [1] } }, { a: { b: [1] } })).toEqual({});
  });
});
