#!/usr/bin/env node
// Entry point installed as `imply-operator`. Runs the compiled CLI (built by `npm ci` via the
// `prepare` script); from a source checkout without dist/, falls back to tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli.ts', import.meta.url).href);
}
