import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** A string enum as plain JSON Schema `enum` (clean ajv errors, maps 1:1 to CRD schemas). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description: string; default?: T[number] },
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/**
 * Schema annotations this project adds to JSON Schema. `x-message` gives the human message for a
 * failed `pattern`/`format` check (the API's documented wording, e.g. "Path is not a valid s3
 * path"); `x-label` names the field in "<label> must not be null" messages.
 */
export const annotationKeywords = ['x-message', 'x-label'] as const;

/** Options every field carries: a description, shown by `kubectl explain` and in openapi.json. */
export interface FieldOptions {
  description: string;
  [keyword: string]: unknown;
}

/** Deep copy of a schema with every `additionalProperties: false` removed (response validation). */
export function lenient<T extends TSchema>(schema: T): T {
  return strip(schema) as T;
}

function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string | symbol, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'additionalProperties' && v === false) continue;
    out[k] = strip(v);
  }
  // TypeBox keeps its kind markers on symbol keys; keep them so the result is still a TSchema.
  for (const sym of Object.getOwnPropertySymbols(node)) out[sym] = (node as Record<symbol, unknown>)[sym];
  return out;
}
