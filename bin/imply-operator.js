#!/usr/bin/env node
// Entry point installed as `imply-operator`. Runs the compiled CLI (built by `npm ci` via the
// `prepare` script, or by `npm run build`); from a source checkout without dist/, falls back to tsx
// (a development dependency).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api').catch(() => {
    console.error('imply-operator: dist/ is missing; run `npm run build` (or `npm ci` in a checkout)');
    process.exit(1);
  });
  register();
  await import(new URL('../src/cli.ts', import.meta.url).href);
}
