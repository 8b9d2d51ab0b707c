// What the Dockerfile promises (no Docker engine in CI to build it): a multi-stage build on a Node
// LTS image, production dependencies only in the image, a non-root user matching the Deployments,
// and one entry point for controller and emulator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions with continuation lines joined and comments dropped. */
function instructionsOf(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

const instructions = instructionsOf(dockerfile);
const stages: Instruction[][] = [];
for (const instruction of instructions) {
  if (instruction.keyword === 'FROM') stages.push([]);
  stages.at(-1)?.push(instruction);
}
const finalStage = stages.at(-1) ?? [];
const args = Object.fromEntries(
  instructions.filter((i) => i.keyword === 'ARG' && i.args.includes('=')).map((i) => i.args.split('=', 2) as [string, string]),
);
const imageOf = (from: Instruction) => from.args.split(/\s+/)[0]?.replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name] ?? '') ?? '';
// Even majors become LTS; 24 is Active LTS, 22 Maintenance LTS (late 2026).
const ltsMajors = [22, 24];

describe('Dockerfile', () => {
  it('is multi-stage: a build stage and a separate runtime stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(finalStage.filter((i) => i.keyword === 'COPY').some((i) => i.args.startsWith('--from='))).toBe(true);
  });

  it('builds every stage on a Node LTS image', () => {
    for (const stage of stages) {
      const image = imageOf(stage[0] as Instruction);
      const major = Number(/^node:(\d+)/.exec(image)?.[1]);
      expect(ltsMajors, image).toContain(major);
    }
  });

  it('compiles in the build stage with the locked dependencies', () => {
    const runs = (stages[0] ?? []).filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => r.includes('npm ci'))).toBe(true);
    expect(runs.some((r) => r.includes('npm run build'))).toBe(true);
  });

  it('installs only production dependencies in the image, without lifecycle scripts', () => {
    const runs = finalStage.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    const install = runs.find((r) => r.includes('npm ci'));
    expect(install).toContain('--omit=dev');
    expect(install).toContain('--ignore-scripts');
    expect(finalStage.some((i) => i.keyword === 'COPY' && /\bsrc\b/.test(i.args))).toBe(false);
  });

  it('runs as the non-root user the Deployments run as', () => {
    const user = finalStage.filter((i) => i.keyword === 'USER').at(-1)?.args ?? '';
    const uid = Number(user.split(':')[0]);
    expect(uid).toBeGreaterThan(0);
    for (const file of ['deploy/deployment.yaml', 'deploy/emulator/deployment.yaml']) {
      const deployment = parse(readFileSync(join(root, file), 'utf8')) as { spec: { template: { spec: { securityContext: { runAsUser: number } } } } };
      expect(deployment.spec.template.spec.securityContext.runAsUser, file).toBe(uid);
    }
  });

  it('starts the imply-operator entry point (one image for controller and emulator)', () => {
    const entrypoint = finalStage.filter((i) => i.keyword === 'ENTRYPOINT').at(-1)?.args ?? '';
    expect(JSON.parse(entrypoint)).toEqual(['node', '/app/bin/imply-operator.js']);
  });

  it('has a .dockerignore that keeps node_modules and local state out of the context', () => {
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignore).toContain('**');
    expect(ignore.filter((l) => l.startsWith('!'))).not.toContain('!node_modules');
  });
});
