import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../../src/emulator/keyed-mutex.js';

describe('KeyedMutex', () => {
  it('runs work for one key one after another, in arrival order, even when one fails', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const step = (name: string, fail = false) => async () => {
      log.push(`${name}:start`);
      await Promise.resolve();
      await Promise.resolve();
      log.push(`${name}:end`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([mutex.run('k', step('a')), mutex.run('k', step('b', true)), mutex.run('k', step('c'))]);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('runs work for different keys concurrently', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    let release = () => {};
    const blocked = mutex.run('a', () => new Promise<void>((resolve) => (release = resolve)));
    await mutex.run('b', () => log.push('b'));
    expect(log).toEqual(['b']);
    release();
    await blocked;
  });
});
