import { describe, expect, it } from 'vitest';
import { defaultVersions, ReleaseCatalog } from '../../../src/emulator/release-catalog.js';

describe('ReleaseCatalog', () => {
  it('offers every monthly release from 2021.01 to 2025.12 by default', () => {
    expect(defaultVersions).toHaveLength(60);
    expect([defaultVersions[0], defaultVersions[1], defaultVersions.at(-1)]).toEqual(['2021.01', '2021.02', '2025.12']);
  });

  it('reports a well-formed but unoffered version, ignores non-strings (the schema reports those)', () => {
    const catalog = new ReleaseCatalog(['2021.01']);
    expect(catalog.problemsOf({ spec: { version: '2021.01' } })).toEqual([]);
    expect(catalog.problemsOf({ spec: { version: '1999.01' } })).toEqual([{ code: 'InvalidValue', target: 'spec.version', message: 'Version [1999.01] is not available' }]);
    expect(catalog.problemsOf({ spec: { version: 3 } })).toEqual([]);
    expect(catalog.problemsOf(null)).toEqual([]);
  });

  it('can be changed at runtime; drops duplicates; refuses an empty list', () => {
    const catalog = new ReleaseCatalog();
    catalog.versions = ['1999.01', '1999.01'];
    expect(catalog.versions).toEqual(['1999.01']);
    expect(catalog.has('2021.01')).toBe(false);
    expect(() => (catalog.versions = [])).toThrow(RangeError);
  });
});
