import { describe, expect, it } from 'vitest';
import { retryAfterMsFrom } from '../../../src/manager/retry-after.js';

describe('retryAfterMsFrom', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delay-seconds', () => {
    expect(retryAfterMsFrom('3', now)).toBe(3000);
    expect(retryAfterMsFrom(' 0 ', now)).toBe(0);
    expect(retryAfterMsFrom('1.5', now)).toBe(1500);
  });

  it('reads an HTTP-date relative to now, never negative', () => {
    expect(retryAfterMsFrom('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMsFrom('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('gives undefined for absent or unparsable values', () => {
    expect(retryAfterMsFrom(null, now)).toBeUndefined();
    expect(retryAfterMsFrom(undefined, now)).toBeUndefined();
    expect(retryAfterMsFrom('', now)).toBeUndefined();
    expect(retryAfterMsFrom('soon', now)).toBeUndefined();
    expect(retryAfterMsFrom('-1', now)).toBeUndefined();
  });
});
