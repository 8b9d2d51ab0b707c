import { describe, expect, it } from 'vitest';
import { TokenAuthority } from '../../../src/emulator/token-authority.js';

describe('TokenAuthority', () => {
  it('knows static tokens with and without the role, and nothing else', () => {
    const authority = new TokenAuthority({ tokens: ['rw'], readonlyTokens: ['ro'] });
    expect(authority.roleOf('rw')).toBe('manage');
    expect(authority.roleOf('ro')).toBe('none');
    expect(authority.roleOf('other')).toBeUndefined();
    expect(authority.roleOf('')).toBeUndefined();
  });

  it('issues tokens to valid clients only, which expire after the ttl', () => {
    let nowMs = 1_000_000;
    const authority = new TokenAuthority({ clients: [{ id: 'c', secret: 's' }], tokenTtlSeconds: 60, now: () => nowMs });
    expect(authority.issue('c', 'wrong')).toBeUndefined();
    expect(authority.issue('other', 's')).toBeUndefined();
    const token = authority.issue('c', 's');
    expect(token?.expiresInSeconds).toBe(60);
    expect(authority.roleOf(token?.accessToken ?? '')).toBe('manage');
    nowMs += 59_999;
    expect(authority.roleOf(token?.accessToken ?? '')).toBe('manage');
    nowMs += 1;
    expect(authority.roleOf(token?.accessToken ?? '')).toBeUndefined();
  });

  it('issues a different opaque token each time', () => {
    const authority = new TokenAuthority({ clients: [{ id: 'c', secret: 's' }] });
    expect(authority.issue('c', 's')?.accessToken).not.toBe(authority.issue('c', 's')?.accessToken);
  });

  it('applies a changed ttl to tokens issued afterwards', () => {
    const authority = new TokenAuthority({ clients: [{ id: 'c', secret: 's' }] });
    authority.tokenTtlSeconds = 2;
    expect(authority.issue('c', 's')?.expiresInSeconds).toBe(2);
  });
});
