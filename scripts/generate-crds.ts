// Writes crds/*.yaml from the schema source. Usage: npx tsx scripts/generate-crds.ts [--check]
// With --check, writes nothing and exits 1 when a file is missing or stale.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { crdManifests } from '../src/kube/crd-manifests.js';

const crdsDir = fileURLToPath(new URL('../crds/', import.meta.url));
const check = process.argv.includes('--check');

const readOrEmpty = (path: string) => readFile(path, 'utf8').catch(() => '');

let stale = 0;
await mkdir(crdsDir, { recursive: true });
for (const manifest of crdManifests()) {
  const path = join(crdsDir, manifest.fileName);
  if ((await readOrEmpty(path)) === manifest.yaml) continue;
  stale += 1;
  if (check) {
    console.error(`stale: crds/${manifest.fileName}`);
  } else {
    await writeFile(path, manifest.yaml);
    console.log(`wrote crds/${manifest.fileName}`);
  }
}
if (check && stale > 0) {
  console.error('run `npx tsx scripts/generate-crds.ts`');
  process.exitCode = 1;
}
