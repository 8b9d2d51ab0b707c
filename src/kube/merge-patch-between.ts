// The JSON Merge Patch (RFC 7386) that turns one JSON object into another: changed values set,
// removed keys set to null, nested objects patched recursively, arrays replaced whole.
import { isDeepStrictEqual } from 'node:util';

type JsonObject = Record<string, unknown>;

/** The merge patch from `from` to `to`; empty when they are equal. */
export function mergePatchBetween(from: JsonObject, to: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(from)) {
    if (to[key] === undefined && from[key] !== undefined) patch[key] = null;
  }
  for (const [key, value] of Object.entries(to)) {
    if (value === undefined || isDeepStrictEqual(from[key], value)) continue;
    const before = from[key];
    patch[key] = isObject(before) && isObject(value) ? mergePatchBetween(before, value) : value;
  }
  return patch;
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
