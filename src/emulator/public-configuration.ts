// The stored (public) form of a configuration: defaults applied, the password reduced to a hash.
import { withDefaults, type ClusterSpec } from '../schema/index.js';
import { hashPassword, isSamePassword } from './password-hash.js';

/** What a write says about the write-only password: keep the stored one, set a new one, or clear it. */
export type PasswordIntent = { kind: 'keep' } | { kind: 'set'; password: string } | { kind: 'clear' };

/** A validated configuration from a create, PUT or merged PATCH body. */
export interface ConfigurationInput {
  name: string;
  spec: ClusterSpec;
  password: PasswordIntent;
}

/** The stored spec (defaults applied, no password, passwordSet when one is kept) and the password hash; a repeated password keeps its hash. */
export function publicConfiguration(input: ConfigurationInput, storedHash: string | undefined): { spec: ClusterSpec; passwordHash?: string } {
  const spec = withDefaults(input.spec);
  const store = spec.metadataStore ?? { type: 'managed' };
  delete store.password;
  delete store.passwordSet;
  let hash: string | undefined;
  if (input.password.kind === 'keep') hash = storedHash;
  else if (input.password.kind === 'set') {
    hash = storedHash !== undefined && isSamePassword(input.password.password, storedHash) ? storedHash : hashPassword(input.password.password);
  }
  if (store.type === 'managed') hash = undefined;
  if (hash === undefined) return { spec };
  store.passwordSet = true;
  return { spec, passwordHash: hash };
}

/** True when two specs differ at most in desiredState. */
export function sameExceptDesiredState(a: ClusterSpec, b: ClusterSpec): boolean {
  return canonicalJson({ ...a, desiredState: undefined }) === canonicalJson({ ...b, desiredState: undefined });
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  );
}
