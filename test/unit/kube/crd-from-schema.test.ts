import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { crdSchemaFrom, CrdSchemaError, type StructuralSchema } from '../../../src/kube/crd-from-schema.js';
import { ClusterSpec, StringEnum } from '../../../src/schema/index.js';

const d = (description: string) => ({ description });

function expectCrdSchemaError(run: () => unknown, path: string): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CrdSchemaError);
    expect((error as CrdSchemaError).code).toBe('CrdSchemaError');
    expect((error as CrdSchemaError).path).toBe(path);
    return;
  }
  expect.fail('expected a CrdSchemaError');
}

function walk(node: StructuralSchema, visit: (node: StructuralSchema) => void): void {
  visit(node);
  for (const child of Object.values(node.properties ?? {})) walk(child, visit);
  if (node.items !== undefined) walk(node.items, visit);
  if (node.additionalProperties !== undefined) walk(node.additionalProperties, visit);
}

describe('crdSchemaFrom', () => {
  it('keeps the structural keywords and drops JSON Schema-only ones', () => {
    const schema = Type.Object(
      {
        path: Type.String({ pattern: '^s3://', minLength: 1, maxLength: 9, 'x-message': 'bad', 'x-label': 'Path', ...d('p') }),
        count: Type.Integer({ minimum: 1, maximum: 9, default: 3, ...d('c') }),
        secret: Type.Optional(Type.String({ writeOnly: true, ...d('s') })),
        at: Type.Optional(Type.String({ format: 'date-time', readOnly: true, ...d('t') })),
      },
      { additionalProperties: false, $id: 'X', ...d('root') },
    );
    expect(crdSchemaFrom(schema)).toEqual({
      type: 'object',
      description: 'root',
      properties: {
        path: { type: 'string', description: 'p', pattern: '^s3://', minLength: 1, maxLength: 9 },
        count: { type: 'integer', description: 'c', minimum: 1, maximum: 9, default: 3 },
        secret: { type: 'string', description: 's' },
        at: { type: 'string', description: 't', format: 'date-time' },
      },
      required: ['path', 'count'],
    });
  });

  it('turns numeric exclusiveMinimum into the OpenAPI v3.0 minimum + boolean', () => {
    expect(crdSchemaFrom(Type.Number({ exclusiveMinimum: 0, ...d('n') }))).toEqual({ type: 'number', description: 'n', minimum: 0, exclusiveMinimum: true });
  });

  it('makes unique scalar arrays sets, since uniqueItems is not structural', () => {
    const schema = Type.Array(StringEnum(['A', 'B'] as const, d('x')), { uniqueItems: true, default: ['A'], ...d('l') });
    expect(crdSchemaFrom(schema)).toMatchObject({ type: 'array', 'x-kubernetes-list-type': 'set', default: ['A'] });
    expect(crdSchemaFrom(schema)).not.toHaveProperty('uniqueItems');
  });

  it('keys arrays of objects with a required name by that name', () => {
    const item = Type.Object({ name: Type.String(d('n')), v: Type.Optional(Type.String(d('v'))) }, d('i'));
    expect(crdSchemaFrom(Type.Array(item, d('l')))).toMatchObject({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] });
  });

  it('takes explicit list-map keys by path, and they must be required', () => {
    const item = Type.Object({ type: Type.String(d('t')), other: Type.Optional(Type.String(d('o'))) }, d('i'));
    const schema = Type.Object({ list: Type.Array(item, d('l')) }, d('r'));
    expect(crdSchemaFrom(schema, { listMapKeys: { list: ['type'] } }).properties?.['list']).toMatchObject({ 'x-kubernetes-list-map-keys': ['type'] });
    expectCrdSchemaError(() => crdSchemaFrom(schema, { listMapKeys: { list: ['other'] } }), 'list');
  });

  it('turns a Record into additionalProperties', () => {
    const schema = Type.Record(Type.String(), Type.Integer(d('n')), d('m'));
    expect(crdSchemaFrom(schema)).toEqual({ type: 'object', description: 'm', additionalProperties: { type: 'integer', description: 'n' } });
  });

  it('attaches CEL rules by path and refuses paths that do not exist', () => {
    const schema = Type.Object({ a: Type.Object({ b: Type.String(d('b')) }, d('a')) }, d('r'));
    const rule = { rule: 'self.b != ""', message: 'b empty' };
    expect(crdSchemaFrom(schema, { validations: { a: [rule] } }).properties?.['a']?.['x-kubernetes-validations']).toEqual([rule]);
    expectCrdSchemaError(() => crdSchemaFrom(schema, { validations: { 'a.c': [rule] } }), '');
  });

  it('fails on a field without a description', () => {
    expectCrdSchemaError(() => crdSchemaFrom(Type.Object({ a: Type.Object({ b: Type.String() }, d('a')) }, d('r'))), 'a.b');
  });

  it('fails on what structural schemas cannot express', () => {
    expectCrdSchemaError(() => crdSchemaFrom(Type.Object({ u: Type.Union([Type.String(), Type.Integer()], d('u')) }, d('r'))), 'u');
    expectCrdSchemaError(() => crdSchemaFrom(Type.Object({ s: Type.String({ format: 'email-ish', ...d('s') }) }, d('r'))), 's');
    expectCrdSchemaError(() => crdSchemaFrom(Type.Object({ s: Type.String({ 'x-whatever': 1, ...d('s') }) }, d('r'))), 's');
  });

  it('converts the whole ClusterSpec, leaving no keyword a structural schema refuses', () => {
    const converted = crdSchemaFrom(ClusterSpec);
    walk(converted, (node) => {
      const keys = Object.keys(node);
      for (const banned of ['uniqueItems', 'additionalProperties', 'readOnly', 'writeOnly', 'x-message', '$id']) {
        if (banned === 'additionalProperties' && node.additionalProperties !== undefined) continue;
        expect(keys).not.toContain(banned);
      }
      expect(node.type).toBeDefined();
    });
    expect(converted.properties?.['data']?.properties?.['tiers']).toMatchObject({ minItems: 1, 'x-kubernetes-list-map-keys': ['name'] });
  });
});
