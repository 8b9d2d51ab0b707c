// `imply-operator dev` as a user runs it: its own etcd + kube-apiserver (separate from the global
// setup's), the emulator, the controller and the examples come up, every sample cluster turns Ready
// through the printed kubeconfig and kubectl, and Ctrl-C leaves no process and exits 0.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../src/kube/free-port.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..', '..');

interface ClusterList {
  items: { metadata: { name: string }; status?: { state?: string; conditions?: { type: string; status: string }[] } }[];
}

/** Pids of processes (other than `except`) whose command line mentions `text`. */
function pidsMentioning(text: string, except: number | undefined): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    if (pid === except || pid === process.pid) return false;
    try {
      return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  });
}

const commandOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').split('\0')[0] ?? '';
  } catch {
    return '';
  }
};

/** Resolves once `output()` matches `pattern`; rejects when the process exits first or after `timeoutMs`. */
function waitForOutput(child: ChildProcess, output: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((done, fail) => {
    const check = () => {
      const match = output().match(pattern);
      if (match) finish(() => done(match));
    };
    const onExit = () => finish(() => fail(new Error(`dev exited before ${String(pattern)}:\n${output()}`)));
    const timer = setTimeout(() => finish(() => fail(new Error(`no ${String(pattern)} within ${String(timeoutMs)} ms:\n${output()}`))), timeoutMs);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
      settle();
    };
    child.stdout?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

describe('imply-operator dev', () => {
  let child: ChildProcess | undefined;
  let stateDir = '';
  afterAll(async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (stateDir !== '') {
      for (const pid of pidsMentioning(stateDir, undefined)) process.kill(pid, 'SIGKILL');
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('brings up the stack and every sample cluster Ready, and stops everything on SIGINT', { timeout: 300_000 }, async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'imply-dev-test-'));
    const [port] = await freePorts(1);
    const dev = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), 'dev', '--emulator-port', String(port), '--state-dir', stateDir, '--transition-ms', '200'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = dev;
    let output = '';
    dev.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    dev.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((done) => dev.once('exit', (code) => done(code)));

    await waitForOutput(dev, () => output, /^All sample clusters are Ready$/m, 180_000);
    expect(output).toContain(`Imply emulator: http://127.0.0.1:${String(port)}/api/v1`);
    const kubeconfig = output.match(/^ {2}export KUBECONFIG=(.+)$/m)?.[1];
    const kubectl = output.match(/^ {2}alias kubectl=(\S+)/m)?.[1];
    expect(kubeconfig).toBe(join(stateDir, 'kubeconfig'));
    expect(kubectl).toBeDefined();

    // The printed kubeconfig's context defaults to the sample namespace, as the printed commands assume.
    const kubectlEnv = { ...process.env, KUBECONFIG: kubeconfig ?? '' };
    await run(kubectl ?? 'kubectl', ['wait', '--for=condition=Ready', 'ic', '--all', '--timeout=30s'], { env: kubectlEnv });
    const { stdout } = await run(kubectl ?? 'kubectl', ['get', 'ic', '-o', 'json'], { env: kubectlEnv });
    const clusters = (JSON.parse(stdout) as ClusterList).items;
    const summary = Object.fromEntries(clusters.map((c) => [c.metadata.name, [c.status?.state, c.status?.conditions?.find((x) => x.type === 'Ready')?.status]]));
    expect(summary).toEqual({ 'clicks-prod': ['STARTED', 'True'], small: ['STARTED', 'True'], staging: ['STOPPED', 'True'] });

    const planeProcesses = pidsMentioning(stateDir, dev.pid);
    expect(planeProcesses.map(commandOf).map((c) => c.split('/').at(-1)).sort()).toEqual(['etcd', 'kube-apiserver']);

    dev.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toMatch(/^Stopped\.$/m);
    expect(pidsMentioning(stateDir, undefined)).toEqual([]);
    expect((await readdir(stateDir)).sort()).toEqual(['controller.log', 'emulator.log']);
  });
});
