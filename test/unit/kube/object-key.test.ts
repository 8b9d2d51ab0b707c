import { describe, expect, it } from 'vitest';
import { keyOf, parseKey, type ObjectKeyError } from '../../../src/kube/object-key.js';

describe('keyOf / parseKey', () => {
  it('round-trips namespaced and cluster-scoped keys', () => {
    expect(keyOf({ metadata: { namespace: 'ns', name: 'a' } })).toBe('ns/a');
    expect(keyOf({ metadata: { name: 'node-1' } })).toBe('node-1');
    expect(parseKey('ns/a')).toEqual({ namespace: 'ns', name: 'a' });
    expect(parseKey('node-1')).toEqual({ namespace: '', name: 'node-1' });
  });

  it.each(['', 'a/b/c', '/a', 'a/'])('rejects %j with InvalidObjectKey', (key) => {
    expect(() => parseKey(key)).toThrow(expect.objectContaining({ code: 'InvalidObjectKey' }) as ObjectKeyError);
  });

  it('rejects an object without a name', () => {
    expect(() => keyOf({ metadata: { namespace: 'ns' } })).toThrow(
      expect.objectContaining({ code: 'InvalidObjectKey' }) as ObjectKeyError,
    );
  });
});
