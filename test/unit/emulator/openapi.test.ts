import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openApiDocument, openApiText } from '../../../src/emulator/openapi.js';
import { routes } from '../../../src/emulator/route-table.js';

const docPath = new URL('../../../docs/openapi.json', import.meta.url);

describe('docs/openapi.json', () => {
  it('matches what the generator yields from the schema source', async () => {
    const onDisk = await readFile(docPath, 'utf8').catch(() => '<missing>');
    expect(onDisk === openApiText(), 'docs/openapi.json is stale: run `npx tsx scripts/generate-openapi.ts`').toBe(true);
  });
});

describe('openApiDocument', () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };

  it('documents every Manager API route and the token endpoint with its operation id', () => {
    for (const route of routes.filter((r) => r.group === 'api' || r.group === 'token')) {
      const path = route.group === 'api' ? route.pattern.replace('/api/v1', '') : route.pattern;
      for (const [method, operation] of Object.entries(route.methods)) {
        expect(doc.paths[path]?.[method.toLowerCase()]?.operationId, `${method} ${path}`).toBe(operation);
      }
    }
  });

  it('resolves every $ref to a component schema', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/schemas\/[A-Za-z]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(doc.components.schemas).toHaveProperty(ref.split('/').pop()?.replace('"', '') ?? '');
  });

  it('refers to shared objects instead of inlining them', () => {
    const spec = JSON.stringify(doc.components.schemas['ClusterSpec']);
    expect(spec).toContain('#/components/schemas/MasterConfiguration');
    expect(spec).toContain('#/components/schemas/NameValue');
  });

  it('keeps the x- message keywords (legal OpenAPI extensions) and no TypeBox symbols', () => {
    expect(JSON.stringify(doc.components.schemas['DeepStorage'])).toContain('"x-message":"Path is not a valid s3 path"');
  });
});
