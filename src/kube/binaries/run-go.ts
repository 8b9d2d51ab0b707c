import { spawn } from 'node:child_process';
import { KubeBinariesError } from './kube-binaries-error.js';

/** Options for {@link runGo}. */
export interface RunGoOptions {
  /** Working directory (the wrapper module). */
  cwd: string;
  /** Extra environment on top of `process.env`. */
  env: Record<string, string>;
  /** Short name of the step, used in progress lines. */
  label: string;
  /** Receives one human-readable progress line at a time. */
  onProgress: (line: string) => void;
  /** Interval between heartbeat lines in milliseconds; default 20 000. */
  heartbeatMs?: number;
}

const tailLines = 60;

/** Runs `go <args>`, reporting a heartbeat with elapsed time; resolves with stdout, rejects with a typed error. */
export function runGo(args: readonly string[], options: RunGoOptions): Promise<string> {
  const started = Date.now();
  const heartbeatMs = options.heartbeatMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const child = spawn('go', args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let lines = 0;
    const tail: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line.trim() === '') continue;
        lines += 1;
        tail.push(line);
        if (tail.length > tailLines) tail.shift();
      }
    });
    const timer = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      options.onProgress(`${options.label}: ${seconds}s elapsed, ${lines} lines from go so far (one per package with -v)`);
    }, heartbeatMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearInterval(timer);
      if (error.code === 'ENOENT') {
        reject(
          new KubeBinariesError(
            'GO_NOT_FOUND',
            'Go is not installed or not on PATH. Install Go 1.26 or newer (https://go.dev/dl/), ' +
              'or point KUBEBUILDER_ASSETS at a directory holding kube-apiserver, etcd and kubectl ' +
              '(for example from setup-envtest).',
            { cause: error },
          ),
        );
        return;
      }
      reject(new KubeBinariesError('BUILD_FAILED', `cannot run go ${args.join(' ')}`, { cause: error }));
    });
    child.on('close', (exitCode) => {
      clearInterval(timer);
      if (exitCode === 0) {
        resolve(stdout);
        return;
      }
      reject(
        new KubeBinariesError(
          'BUILD_FAILED',
          `go ${args.join(' ')} exited with ${String(exitCode)}:\n${tail.join('\n')}`,
        ),
      );
    });
  });
}
