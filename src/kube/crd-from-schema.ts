// Converts a TypeBox / JSON Schema into a Kubernetes structural schema (a CRD's openAPIV3Schema).
// Strict on purpose: an unknown keyword, a combinator or a field without a description fails the
// conversion, so the CRDs can never silently lose a rule the schema source states.
import type { TSchema } from '@sinclair/typebox';

/** A CEL validation rule (`x-kubernetes-validations` entry). */
export interface CelRule {
  rule: string;
  message: string;
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
}

/** A node of a Kubernetes structural schema (the subset this project emits). */
export interface StructuralSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, StructuralSchema>;
  required?: string[];
  items?: StructuralSchema;
  additionalProperties?: StructuralSchema;
  enum?: unknown[];
  default?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: CelRule[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

/** Options of `crdSchemaFrom`; paths are dotted from the root, `[]` for array items (`spec.tiers[]`). */
export interface CrdSchemaOptions {
  /** CEL rules to attach, by path of the node they apply to ('' = the root). */
  validations?: Record<string, readonly CelRule[]>;
  /** List-map keys by path of the array. Default: arrays of objects with a required `name` are keyed by it. */
  listMapKeys?: Record<string, readonly string[]>;
}

/** A schema the converter cannot express as a structural schema, or one that breaks a project rule. */
export class CrdSchemaError extends Error {
  readonly code = 'CrdSchemaError';
  /** Dotted path of the offending node. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path || '<root>'}: ${message}`);
    this.name = 'CrdSchemaError';
    this.path = path;
  }
}

type Node = Record<string, unknown>;

// Copied as they are: structural schemas support them with the same meaning.
const kept = ['description', 'enum', 'default', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] as const;
// Dropped: JSON Schema annotations with no structural meaning. Unknown fields are pruned by default,
// so `additionalProperties: false` is implied; readOnly/writeOnly are handled by the resource shape.
const dropped = new Set(['$id', '$schema', 'title', 'readOnly', 'writeOnly', 'x-message', 'x-label', 'examples']);
const handled = new Set(['type', 'properties', 'required', 'items', 'additionalProperties', 'patternProperties', 'format', 'uniqueItems', 'exclusiveMinimum', 'exclusiveMaximum', 'const']);
// Formats the apiserver validates (k8s.io/kube-openapi strfmt); others would be rejected or ignored.
const supportedFormats = new Set(['date-time', 'date', 'uuid', 'int32', 'int64', 'float', 'double', 'byte', 'hostname', 'ipv4', 'ipv6', 'cidr', 'uri', 'email']);
const scalarTypes = new Set(['string', 'integer', 'number', 'boolean']);
const catchAllPatterns = new Set(['^(.*)$', '^.*$', '.*']);

/** The structural schema of `schema`, with CEL rules and list types attached per `options`. */
export function crdSchemaFrom(schema: TSchema | Node, options: CrdSchemaOptions = {}): StructuralSchema {
  const unused = new Set([...Object.keys(options.validations ?? {}), ...Object.keys(options.listMapKeys ?? {})]);
  const result = convert(schema as Node, '', { options, unused, isProperty: false });
  if (unused.size > 0) throw new CrdSchemaError('', `options name paths that do not exist: ${[...unused].join(', ')}`);
  return result;
}

interface Context {
  options: CrdSchemaOptions;
  unused: Set<string>;
  isProperty: boolean;
}

function convert(node: Node, path: string, ctx: Context): StructuralSchema {
  for (const key of Object.keys(node)) {
    if (!kept.includes(key as (typeof kept)[number]) && !dropped.has(key) && !handled.has(key)) {
      throw new CrdSchemaError(path, `keyword "${key}" has no structural-schema equivalent`);
    }
  }
  if (ctx.isProperty && (typeof node['description'] !== 'string' || node['description'].trim() === '')) {
    throw new CrdSchemaError(path, 'every field needs a description (kubectl explain shows it)');
  }
  const out: StructuralSchema = { type: typeOf(node, path) };
  for (const key of kept) if (node[key] !== undefined) (out as Node)[key] = node[key];
  if (node['const'] !== undefined) out.enum = [node['const']];
  copyFormat(node, out, path);
  copyExclusiveBounds(node, out, path);
  if (out.type === 'object') convertObject(node, out, path, ctx);
  if (out.type === 'array') convertArray(node, out, path, ctx);
  const rules = ctx.options.validations?.[path];
  if (rules !== undefined) {
    out['x-kubernetes-validations'] = [...rules];
    ctx.unused.delete(path);
  }
  return out;
}

function typeOf(node: Node, path: string): NonNullable<StructuralSchema['type']> {
  const type = node['type'];
  if (typeof type === 'string' && (scalarTypes.has(type) || type === 'object' || type === 'array')) {
    return type as NonNullable<StructuralSchema['type']>;
  }
  throw new CrdSchemaError(path, `needs exactly one type (got ${JSON.stringify(type)}); unions are not structural`);
}

function copyFormat(node: Node, out: StructuralSchema, path: string): void {
  const format = node['format'];
  if (format === undefined) return;
  if (typeof format !== 'string' || !supportedFormats.has(format)) throw new CrdSchemaError(path, `format ${String(format)} is not supported by the apiserver`);
  out.format = format;
}

// JSON Schema (draft 6+) bounds are numbers; OpenAPI v3.0, which CRDs use, wants minimum + a boolean.
function copyExclusiveBounds(node: Node, out: StructuralSchema, path: string): void {
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    const value = node[exclusive];
    if (value === undefined) continue;
    if (typeof value !== 'number') throw new CrdSchemaError(path, `${exclusive} must be a number`);
    if (node[bound] !== undefined) throw new CrdSchemaError(path, `both ${bound} and ${exclusive} given`);
    out[bound] = value;
    out[exclusive] = true;
  }
}

function convertObject(node: Node, out: StructuralSchema, path: string, ctx: Context): void {
  const properties = node['properties'] as Record<string, Node> | undefined;
  if (properties !== undefined && Object.keys(properties).length > 0) {
    out.properties = {};
    for (const [name, child] of Object.entries(properties)) {
      out.properties[name] = convert(child, path === '' ? name : `${path}.${name}`, { ...ctx, isProperty: true });
    }
  }
  const required = node['required'] as string[] | undefined;
  if (required !== undefined && required.length > 0) out.required = [...required];
  const values = mapValues(node, path);
  if (values !== undefined) {
    if (out.properties !== undefined) throw new CrdSchemaError(path, 'properties and additionalProperties are exclusive in structural schemas');
    out.additionalProperties = convert(values, `${path}{}`, { ...ctx, isProperty: false });
  }
}

// A map (TypeBox Record or additionalProperties: schema) becomes additionalProperties: schema.
function mapValues(node: Node, path: string): Node | undefined {
  const additional = node['additionalProperties'];
  const patterns = node['patternProperties'] as Record<string, Node> | undefined;
  if (patterns !== undefined) {
    const entries = Object.entries(patterns);
    const only = entries[0];
    if (entries.length !== 1 || only === undefined || !catchAllPatterns.has(only[0])) {
      throw new CrdSchemaError(path, 'patternProperties other than one catch-all pattern are not structural');
    }
    return only[1];
  }
  if (additional === undefined || additional === false) return undefined;
  if (additional === true) throw new CrdSchemaError(path, 'additionalProperties: true is not structural; use a value schema');
  return additional as Node;
}

function convertArray(node: Node, out: StructuralSchema, path: string, ctx: Context): void {
  const items = node['items'] as Node | undefined;
  if (items === undefined || Array.isArray(items)) throw new CrdSchemaError(path, 'arrays need one items schema');
  out.items = convert(items, `${path}[]`, { ...ctx, isProperty: false });
  const explicitKeys = ctx.options.listMapKeys?.[path];
  if (explicitKeys !== undefined) ctx.unused.delete(path);
  const required = (items['required'] as string[] | undefined) ?? [];
  const keys = explicitKeys ?? (items['type'] === 'object' && required.includes('name') ? ['name'] : undefined);
  if (keys !== undefined) {
    const missing = keys.filter((k) => !required.includes(k));
    if (missing.length > 0) throw new CrdSchemaError(path, `list-map keys must be required fields: ${missing.join(', ')}`);
    out['x-kubernetes-list-type'] = 'map';
    out['x-kubernetes-list-map-keys'] = [...keys];
  } else if (node['uniqueItems'] === true) {
    // uniqueItems is not allowed in structural schemas; a set list is how Kubernetes says it.
    if (!scalarTypes.has(String(items['type']))) throw new CrdSchemaError(path, 'uniqueItems on non-scalar items needs listMapKeys');
    out['x-kubernetes-list-type'] = 'set';
  }
}
