// The data file across restarts, and the `emulator` command as a real process.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterSpec, EmulatorSession, eventually } from './emulator-session.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imply-emulator-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('data file', () => {
  it('keeps clusters, history and servers across a restart', async () => {
    const dataFile = join(dir, 'state.json');
    const first = await EmulatorSession.start({ dataFile });
    const uid = await first.clusterIn('c1', 'STARTED');
    await first.call('PATCH', `/clusters/${uid}`, { body: { spec: { query: { replicas: 2 } } } });
    await first.waitForState(uid, 'STARTED');
    const before = await first.call('GET', `/clusters/${uid}/servers`);
    await first.close();

    const second = await EmulatorSession.start({ dataFile });
    try {
      expect((await second.get(uid)).status).toMatchObject({ state: 'STARTED', resourceVersion: 2 });
      expect((await second.call('GET', `/clusters/${uid}/history/1`)).status).toBe(200);
      expect((await second.call('GET', `/clusters/${uid}/servers`)).json).toEqual(before.json);
      const next = await second.create('c2');
      expect(next.metadata.uid).not.toBe(uid);
      expect(await readdir(dir)).toEqual(['state.json']);
    } finally {
      await second.close();
    }
  });

  it('has every acknowledged write on disk when the answer arrives, without the password', async () => {
    const dataFile = join(dir, 'state.json');
    const session = await EmulatorSession.start({ dataFile });
    try {
      const spec = clusterSpec({ desiredState: 'STOPPED', metadataStore: { type: 'postgresql', host: 'db', port: 5432, database: 'd', user: 'u', password: 'pa55word' } });
      const created = await session.create('c1', spec);
      const onDisk = await readFile(dataFile, 'utf8');
      expect(onDisk).toContain(created.metadata.uid);
      expect(onDisk).not.toContain('pa55word');
    } finally {
      await session.close();
    }
  });

  it('resumes a transition after a restart from its stored deadline', async () => {
    const dataFile = join(dir, 'state.json');
    const first = await EmulatorSession.start({ dataFile, transitionMs: 300 });
    const uid = (await first.create('c1')).metadata.uid;
    await first.close();
    const second = await EmulatorSession.start({ dataFile, transitionMs: 300 });
    try {
      await second.waitForState(uid, 'STARTED');
    } finally {
      await second.close();
    }
  });
});

describe('emulator command (real process)', () => {
  it('starts on an ephemeral port, logs and writes its URL, serves the API, exits 0 on SIGTERM', async () => {
    const urlFile = join(dir, 'url');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'emulator', '--port', '0', '--token', 'cli-token', '--transition-ms', '0', '--data-file', join(dir, 'data.json'), '--url-file', urlFile], {
      cwd: new URL('../../../', import.meta.url),
      env: { ...process.env, IMPLY_EMULATOR_SEED: '7' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await eventually(async () => (await readFile(urlFile, 'utf8')).trim(), 60_000);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      const listening = JSON.parse(stdout.split('\n')[0] ?? '{}') as { msg: string; url: string; seed: number };
      expect(listening).toMatchObject({ msg: 'emulator listening', url, seed: 7 });
      const res = await fetch(`${url}/clusters`, { headers: { Authorization: 'Bearer cli-token' } });
      expect(res.status).toBe(200);
      expect(stdout).not.toContain('cli-token');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout).toContain('"msg":"emulator stopped"');
  });
});
