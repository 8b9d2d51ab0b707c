// Validation of Manager API bodies against the schema source, with failures mapped to the
// documented 400 details: one entry per problem, `target` a dotted path from the Cluster root.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Cluster, type DetailCode, type ErrorDetail } from './cluster.js';
import { ClusterSpec, type NameValue } from './cluster-spec.js';
import { annotationKeywords } from './schema-kit.js';

// ajv-formats ships CommonJS; under NodeNext its default import is the module namespace.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** One ajv instance for the whole process: compiled validators are cached by schema. */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, strictTypes: false });
  addFormats(ajv, ['date-time', 'uuid']);
  for (const keyword of annotationKeywords) ajv.addKeyword({ keyword, schemaType: 'string' });
  return ajv;
}

const ajv = createAjv();
const validateClusterBody = ajv.compile(Cluster);

/** Compiles a validator for any schema of the source (ajv caches compiled schemas). */
export function validatorFor<T>(schema: TSchema): ValidateFunction<T> {
  return ajv.compile<T>(schema);
}

/** Problems with a Cluster request body (create or PUT), in the API's detail format. */
export function clusterRequestProblems(body: unknown): ErrorDetail[] {
  const structural = validateClusterBody(body) ? [] : (validateClusterBody.errors ?? []).map((e) => detailFor(e, body));
  return [...dedupe(structural), ...semanticProblems(body)];
}

/** Turns a JSON pointer (`/spec/data/tiers/1/name`) into a dotted target (`spec.data.tiers[1].name`). */
export function targetFrom(pointer: string, child?: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const p of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[p];
  }
  return node;
}

function detail(code: DetailCode, target: string, message: string): ErrorDetail {
  return { code, target, message };
}

function detailFor(e: ErrorObject, root: unknown): ErrorDetail {
  const schema = e.parentSchema as Record<string, unknown> | undefined;
  const target = targetFrom(e.instancePath);
  if (target === '' && e.keyword === 'type') return detail('InvalidValue', '', 'Request body must be a JSON object');
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const props = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
      const label = props[missing]?.['x-label'];
      const t = targetFrom(e.instancePath, missing);
      return detail('NullValue', t, `${typeof label === 'string' ? label : t} must not be null`);
    }
    case 'type':
      if (valueAt(root, e.instancePath) === null) {
        const label = schema?.['x-label'];
        return detail('NullValue', target, `${typeof label === 'string' ? label : target} must not be null`);
      }
      return detail('InvalidValue', target, `${target} must be ${String((e.params as { type: unknown }).type)}`);
    case 'pattern':
    case 'format': {
      const message = schema?.['x-message'];
      return detail('MalformedValue', target, typeof message === 'string' ? message : `${target} is malformed`);
    }
    case 'enum':
      return detail('InvalidValue', target, `${target} must be one of [${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}]`);
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const t = targetFrom(e.instancePath, extra);
      return detail('UnknownField', t, `${t} is not a known field`);
    }
    case 'uniqueItems':
      return detail('Duplicate', target, `${target} must not contain duplicates`);
    case 'minimum':
    case 'maximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return detail('OutOfRange', target, `${target} ${e.message ?? 'is out of range'}`);
    default:
      return detail('InvalidValue', target, `${target} ${e.message ?? 'is invalid'}`);
  }
}

function dedupe(details: ErrorDetail[]): ErrorDetail[] {
  const seen = new Set<string>();
  return details.filter((d) => {
    const key = `${d.code}\u0000${d.target}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Rules JSON Schema cannot say: unique names within lists, fields required by metadataStore.type. */
function semanticProblems(body: unknown): ErrorDetail[] {
  const spec = (body as { spec?: unknown } | null)?.spec;
  if (spec === null || typeof spec !== 'object') return [];
  const s = spec as Record<string, unknown>;
  const problems: ErrorDetail[] = [];
  const uniqueNames = (list: unknown, target: string, what: string) => {
    if (!Array.isArray(list)) return;
    const seen = new Set<string>();
    list.forEach((item: unknown, i) => {
      const name = (item as { name?: unknown } | null)?.name;
      if (typeof name !== 'string') return;
      if (seen.has(name)) problems.push(detail('Duplicate', `${target}[${i}].name`, `Duplicate ${what} name [${name}]`));
      seen.add(name);
    });
  };
  const section = (key: string) => (s[key] !== null && typeof s[key] === 'object' ? (s[key] as Record<string, unknown>) : {});
  uniqueNames(section('data')['tiers'], 'spec.data.tiers', 'tier');
  uniqueNames(s['customFiles'], 'spec.customFiles', 'custom file');
  uniqueNames(s['awsTags'], 'spec.awsTags', 'tag');
  uniqueNames(s['commonRuntimeProperties'], 'spec.commonRuntimeProperties', 'property');
  for (const [key, lists] of propertyLists) {
    for (const list of lists) uniqueNames(section(key)[list], `spec.${key}.${list}`, 'property');
  }
  const tiers = section('data')['tiers'];
  if (Array.isArray(tiers)) {
    tiers.forEach((tier: unknown, i) => {
      if (tier === null || typeof tier !== 'object') return;
      for (const list of ['historicalRuntimeProperties', 'middleManagerRuntimeProperties']) {
        uniqueNames((tier as Record<string, unknown>)[list], `spec.data.tiers[${i}].${list}`, 'property');
      }
    });
  }
  const store = section('metadataStore');
  if (store['type'] === 'mysql' || store['type'] === 'postgresql') {
    for (const field of ['host', 'port', 'database', 'user']) {
      if (store[field] === undefined || store[field] === null) {
        problems.push(detail('NullValue', `spec.metadataStore.${field}`, `spec.metadataStore.${field} must not be null for type ${store['type']}`));
      }
    }
  }
  return problems;
}

const propertyLists: [string, string[]][] = [
  ['master', ['coordinatorRuntimeProperties', 'overlordRuntimeProperties']],
  ['query', ['brokerRuntimeProperties', 'routerRuntimeProperties', 'pivotRuntimeProperties']],
];

/** Spec with every documented default applied (desiredState, encryptVolumes, metadataStore, …). */
export function withDefaults(spec: ClusterSpec): ClusterSpec {
  const copy = Value.Default(ClusterSpec, structuredClone(spec)) as ClusterSpec;
  copy.metadataStore ??= { type: 'managed' };
  return copy;
}

/** Names in a NameValue list, for callers that need set semantics. */
export function namesOf(list: readonly NameValue[] | undefined): string[] {
  return (list ?? []).map((nv) => nv.name);
}
