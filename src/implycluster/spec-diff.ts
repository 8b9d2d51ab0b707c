// Comparison of a desired and an observed ClusterSpec as the API means them: defaults applied on
// both sides, lists compared as sets, write-only and server-owned fields left out.
import { isDeepStrictEqual } from 'node:util';
import { withDefaults, type ClusterSpec } from '../schema/index.js';
import { ownerTagName } from './names.js';

/** One field whose desired value differs from the observed one. */
export interface Difference {
  /** Dotted path from the ClusterSpec root, e.g. `query.replicas` or `data.tiers`. */
  path: string;
  desired: unknown;
  observed: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Lists whose order carries no meaning, with the field that identifies an entry. */
const keyedLists: Record<string, string> = {
  awsTags: 'name',
  commonRuntimeProperties: 'name',
  coordinatorRuntimeProperties: 'name',
  overlordRuntimeProperties: 'name',
  brokerRuntimeProperties: 'name',
  routerRuntimeProperties: 'name',
  pivotRuntimeProperties: 'name',
  historicalRuntimeProperties: 'name',
  middleManagerRuntimeProperties: 'name',
  tiers: 'name',
  customFiles: 'name',
  loadBalancers: 'type',
};
/** Lists of scalars whose order carries no meaning. */
const scalarSets = new Set(['allowedCidrs', 'targets']);
/** Fields the API never returns (write-only) or fills itself: never compared. */
const ignoredFields = new Set(['password', 'passwordSet', 'hostname']);

/** The spec in canonical form: defaults applied, sets sorted, owner tag and write-only fields gone. */
export function canonicalSpecFrom(spec: ClusterSpec): Json {
  const defaulted = withDefaults(spec);
  if (defaulted.awsTags) defaulted.awsTags = defaulted.awsTags.filter((tag) => tag.name !== ownerTagName);
  return canonical(defaulted as unknown as Json, '') ?? {};
}

function canonical(value: Json, field: string): Json | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    const items = value.map((v) => canonical(v, '')).filter((v): v is Json => v !== undefined);
    const key = keyedLists[field];
    if (key !== undefined) return [...items].sort((a, b) => compareBy(a, b, key));
    if (scalarSets.has(field)) return [...new Set(items.map(String))].sort();
    return items;
  }
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const name of Object.keys(value).sort()) {
      const child = value[name];
      if (ignoredFields.has(name) || child === undefined) continue;
      const c = canonical(child, name);
      if (c !== undefined) out[name] = c;
    }
    return out;
  }
  return value;
}

function compareBy(a: Json, b: Json, key: string): number {
  const ka = JSON.stringify((a as { [k: string]: Json })[key] ?? null);
  const kb = JSON.stringify((b as { [k: string]: Json })[key] ?? null);
  return ka < kb ? -1 : ka > kb ? 1 : JSON.stringify(a) < JSON.stringify(b) ? -1 : 1;
}

/** Every field where `desired` and `observed` differ, at the shallowest path that differs. */
export function specDifferences(desired: ClusterSpec, observed: ClusterSpec): Difference[] {
  const out: Difference[] = [];
  walk(canonicalSpecFrom(desired), canonicalSpecFrom(observed), '', out);
  return out;
}

function walk(desired: Json | undefined, observed: Json | undefined, path: string, out: Difference[]): void {
  if (isDeepStrictEqual(desired, observed)) return;
  if (isObject(desired) && isObject(observed)) {
    for (const key of [...new Set([...Object.keys(desired), ...Object.keys(observed)])].sort()) {
      walk(desired[key], observed[key], path ? `${path}.${key}` : key, out);
    }
    return;
  }
  out.push({ path, desired, observed });
}

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A JSON Merge Patch that carries exactly the differing fields, with values taken from the
 * desired spec as written (lists whole, since merge patch replaces arrays; `null` removes).
 */
export function mergePatchFor(desired: ClusterSpec, differences: readonly Difference[]): Record<string, unknown> {
  const source = withDefaults(desired) as unknown as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const { path } of differences) {
    const parts = path.split('.');
    let from: unknown = source;
    let to = patch;
    parts.forEach((part, i) => {
      from = (from as Record<string, unknown> | undefined)?.[part];
      if (i === parts.length - 1) {
        to[part] = from === undefined ? null : structuredClone(from);
      } else {
        to = (to[part] ??= {}) as Record<string, unknown>;
      }
    });
  }
  return patch;
}
