// Write-only passwords: the emulator keeps a salted hash, never the password itself.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A salted HMAC-SHA256 of `password`, as `salt:digest` (hex). */
export function hashPassword(password: string): string {
  const salt = randomBytes(16).toString('hex');
  return `${salt}:${digest(salt, password)}`;
}

/** True when `password` is the one `hash` was made from (constant-time comparison). */
export function isSamePassword(password: string, hash: string): boolean {
  const [salt, expected] = hash.split(':');
  if (salt === undefined || expected === undefined) return false;
  const actual = Buffer.from(digest(salt, password), 'hex');
  const wanted = Buffer.from(expected, 'hex');
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

function digest(salt: string, password: string): string {
  return createHmac('sha256', salt).update(password).digest('hex');
}
