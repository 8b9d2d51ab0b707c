// The controller as users run it: `imply-operator controller` in its own process, with its log kept
// for assertions and failure messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

/** A running `imply-operator controller` process. */
export class ControllerProcess {
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;
  #output = '';

  private constructor(child: ChildProcess) {
    this.#child = child;
    const collect = (chunk: Buffer) => {
      this.#output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.#exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  /** Starts the controller with `args` (flags of `imply-operator controller`). */
  static start(args: readonly string[], env: NodeJS.ProcessEnv = {}): ControllerProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src/cli.ts'), 'controller', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ControllerProcess(child);
  }

  /** Everything the process wrote so far (JSON log lines). */
  get output(): string {
    return this.#output;
  }

  /** Log lines parsed as JSON (non-JSON lines skipped). */
  logLines(): Record<string, unknown>[] {
    return this.#output.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** Resolves with the exit code once the process has exited. */
  get exited(): Promise<number | null> {
    return this.#exited;
  }

  /** The process id (for signals such as SIGSTOP and SIGCONT). */
  get pid(): number {
    if (this.#child.pid === undefined) throw new Error('the controller process did not start');
    return this.#child.pid;
  }

  /** True once the process has exited. */
  get hasExited(): boolean {
    return this.#child.exitCode !== null || this.#child.signalCode !== null;
  }

  /** Sends `signal` without waiting (SIGSTOP, SIGCONT, …); does nothing once the process has exited. */
  signal(signal: NodeJS.Signals): void {
    if (!this.hasExited) this.#child.kill(signal);
  }

  /** Parsed log lines whose `msg` is `message`. */
  logLinesWith(message: string): Record<string, unknown>[] {
    return this.logLines().filter((line) => line['msg'] === message);
  }

  /** Sends `signal` and waits for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill(signal);
    return this.#exited;
  }
}
