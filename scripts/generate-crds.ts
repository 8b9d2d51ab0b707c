// Writes crds/*.yaml, and their copies in deploy/crds/ (kustomize loads nothing outside deploy/),
// from the schema source. Usage: npx tsx scripts/generate-crds.ts [--check]
// With --check, writes nothing and exits 1 when a file is missing or stale.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { crdManifests } from '../src/kube/crd-manifests.js';

const targets = ['crds', 'deploy/crds'];
const check = process.argv.includes('--check');

const readOrEmpty = (path: string) => readFile(path, 'utf8').catch(() => '');

let stale = 0;
for (const target of targets) {
  const dir = fileURLToPath(new URL(`../${target}/`, import.meta.url));
  await mkdir(dir, { recursive: true });
  for (const manifest of crdManifests()) {
    const path = join(dir, manifest.fileName);
    if ((await readOrEmpty(path)) === manifest.yaml) continue;
    stale += 1;
    if (check) {
      console.error(`stale: ${target}/${manifest.fileName}`);
    } else {
      await writeFile(path, manifest.yaml);
      console.log(`wrote ${target}/${manifest.fileName}`);
    }
  }
}
if (check && stale > 0) {
  console.error('run `npm run crds`');
  process.exitCode = 1;
}
