import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { cleanupOnExit } from './exit-cleanup.js';

/** Options for {@link LocalProcess.start}. */
export interface LocalProcessOptions {
  /** Short name used in messages, e.g. `etcd`. */
  name: string;
  /** Executable path. */
  command: string;
  /** Arguments. */
  args: readonly string[];
  /** File that receives stdout and stderr. */
  logPath: string;
}

const tailLines = 40;

/** A child process whose output is kept (file + recent lines) and which is killed when this process exits. */
export class LocalProcess {
  readonly #child: ChildProcess;
  readonly #log: WriteStream;
  readonly #tail: string[] = [];
  #exitCode: number | null | undefined;
  readonly #exited: Promise<void>;

  private constructor(child: ChildProcess, log: WriteStream) {
    this.#child = child;
    const unregister = cleanupOnExit(() => child.kill('SIGKILL'));
    this.#log = log;
    const remember = (chunk: Buffer): void => {
      log.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        this.#tail.push(line);
        if (this.#tail.length > tailLines) this.#tail.shift();
      }
    };
    child.stdout?.on('data', remember);
    child.stderr?.on('data', remember);
    this.#exited = new Promise((resolve) => {
      child.once('close', (code) => {
        this.#exitCode = code;
        unregister();
        log.end();
        resolve();
      });
      child.once('error', (error) => {
        this.#tail.push(`spawn failed: ${error.message}`);
        if (child.pid !== undefined) return;
        this.#exitCode = null;
        unregister();
        log.end();
        resolve();
      });
    });
  }

  /** Spawns the process. */
  static start(options: LocalProcessOptions): LocalProcess {
    const log = createWriteStream(options.logPath);
    const child = spawn(options.command, options.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    return new LocalProcess(child, log);
  }

  /** Whether the process has exited. */
  get hasExited(): boolean {
    return this.#exitCode !== undefined;
  }

  /** The most recent output lines, for error messages. */
  get recentOutput(): string {
    return this.#tail.join('\n');
  }

  /** Sends SIGTERM, then SIGKILL after `graceMs` milliseconds; resolves once the process is gone. */
  async stop(graceMs: number): Promise<void> {
    if (this.hasExited) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    try {
      await this.#exited;
    } finally {
      clearTimeout(timer);
    }
    if (!this.#log.closed) await once(this.#log, 'close');
  }
}
