import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../src/emulator/seeded-random.js';

describe('SeededRandom', () => {
  it('repeats its sequence for the same seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    expect([a.uuid(), a.instanceId(), a.privateIp()]).toEqual([b.uuid(), b.instanceId(), b.privateIp()]);
  });

  it('differs between seeds', () => {
    expect(new SeededRandom(1).uuid()).not.toBe(new SeededRandom(2).uuid());
  });

  it('continues from a saved state, and a clone does not advance the original', () => {
    const a = new SeededRandom(7);
    a.next();
    const clone = a.clone();
    const restored = new SeededRandom(a.state);
    expect(clone.next()).toBe(restored.next());
  });

  it('makes ids in the documented shapes', () => {
    const r = new SeededRandom(3);
    for (let i = 0; i < 50; i++) {
      expect(r.instanceId()).toMatch(/^i-[0-9a-f]{17}$/);
      expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.privateIp()).toMatch(/^10\.\d{1,3}\.\d{1,3}\.\d{1,3}$/);
      const n = r.next();
      expect(n >= 0 && n < 1).toBe(true);
    }
  });
});
