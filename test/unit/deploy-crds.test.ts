// deploy/crds/ holds copies of the generated crds/*.yaml, because kustomize will not load files
// outside deploy/. A regeneration that is not copied would ship stale CRDs with `kubectl apply -k`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const generated = readdirSync(join(root, 'crds')).filter((f) => f.endsWith('.yaml')).sort();
const copied = readdirSync(join(root, 'deploy', 'crds')).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();

describe('deploy/crds', () => {
  it('holds a copy of every generated CRD and nothing else', () => {
    expect(copied).toEqual(generated);
  });

  it.each(generated)('%s is identical to crds/ (refresh: npm run crds)', (file) => {
    expect(readFileSync(join(root, 'deploy', 'crds', file), 'utf8')).toBe(readFileSync(join(root, 'crds', file), 'utf8'));
  });

  it('lists every copy in its kustomization', () => {
    const kustomization = parse(readFileSync(join(root, 'deploy', 'crds', 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(generated);
  });
});
