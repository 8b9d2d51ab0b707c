import { describe, expect, it } from 'vitest';
import { durationMsFrom } from '../../../src/controller/duration.js';
import { pollIntervalMsFrom } from '../../../src/implycluster/poll-delay.js';

describe('durationMsFrom', () => {
  it.each([
    ['1500ms', 1500],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['30', 30_000],
    ['0.5s', 500],
  ])('%s is %d ms', (text, ms) => expect(durationMsFrom(text)).toBe(ms));

  it.each(['', 'soon', '5 minutes', '-1s', undefined])('%s is invalid', (text) => expect(durationMsFrom(text)).toBeUndefined());
});

describe('pollIntervalMsFrom', () => {
  it('accepts at least a second and refuses less', () => {
    expect(pollIntervalMsFrom('90s')).toBe(90_000);
    expect(pollIntervalMsFrom('500ms')).toBeUndefined();
  });
});
