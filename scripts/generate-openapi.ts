// Writes docs/openapi.json from the schema source. Usage: npx tsx scripts/generate-openapi.ts [--check]
// With --check, writes nothing and exits 1 when the file is missing or stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openApiText } from '../src/emulator/openapi.js';

const path = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
const wanted = openApiText();
const onDisk = await readFile(path, 'utf8').catch(() => '');

if (onDisk === wanted) {
  console.log('docs/openapi.json is up to date');
} else if (process.argv.includes('--check')) {
  console.error('stale: docs/openapi.json; run `npx tsx scripts/generate-openapi.ts`');
  process.exitCode = 1;
} else {
  await writeFile(path, wanted);
  console.log('wrote docs/openapi.json');
}
