import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { crdManifests, generatedHeader } from '../../../src/kube/crd-manifests.js';

const crdsDir = new URL('../../../crds/', import.meta.url);

describe('crds/', () => {
  for (const manifest of crdManifests()) {
    it(`${manifest.fileName} matches the schema source`, async () => {
      const onDisk = await readFile(new URL(manifest.fileName, crdsDir), 'utf8').catch(() => '<missing>');
      expect(onDisk === manifest.yaml, `crds/${manifest.fileName} is stale: run \`npx tsx scripts/generate-crds.ts\``).toBe(true);
    });
  }

  it('marks every file generated', () => {
    for (const manifest of crdManifests()) expect(manifest.yaml.startsWith(`${generatedHeader}\n`)).toBe(true);
  });
});
