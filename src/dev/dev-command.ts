// `imply-operator dev`: the README's "run it locally". Starts etcd + kube-apiserver with the CRDs,
// the emulator, the controller and the examples, shows their conditions, and on SIGINT/SIGTERM
// stops everything and exits 0.
//
// The controller runs in this process (startOperator), not as a child `imply-operator controller`:
// one process to stop, one place that orders the shutdown, and no second tsx start-up. The
// production path (flags, leader election, probes) is covered by the controller's own tests; to
// debug a controller of your own against the stack, use `--controller none`.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { durationFlag as duration, intFlag, listFlag, stringFlag, UsageError, type Command, type FlagValues } from '../cli/command-line.js';
import { DevInterruptedError, runDevStack, type DevStackOptions } from './dev-stack.js';

const env = (name: string) => `IMPLY_DEV_${name}`;
const defaultExamples = 'examples';
const controllerModes = ['in-process', 'none'] as const;

/** The `dev` subcommand. */
export const devCommand: Command = {
  name: 'dev',
  summary: 'Run a whole local stack: kube-apiserver + etcd with the CRDs, the emulator, the controller and the examples',
  flags: [
    { name: 'emulator-port', env: env('EMULATOR_PORT'), type: 'string', default: '9444', description: 'port of the Manager API emulator (ImplyAccount URLs on 127.0.0.1/localhost are pointed at it)' },
    { name: 'transition-ms', env: env('TRANSITION_MS'), type: 'string', default: '3000', description: 'length of each transitional Imply state (STARTING, UPDATING, …) in the emulator, in ms' },
    { name: 'state-dir', env: env('STATE_DIR'), type: 'string', default: '.kube-dev', description: 'directory for the kubeconfig, logs and the control plane (relative to the current directory)' },
    { name: 'examples', env: env('EXAMPLES'), type: 'string', multiple: true, default: defaultExamples, description: "directory (every *.yaml) or file of sample manifests to apply; '' for none" },
    { name: 'no-examples', env: env('NO_EXAMPLES'), type: 'boolean', description: 'apply no sample manifests' },
    { name: 'namespace', env: env('NAMESPACE'), type: 'string', default: 'imply-demo', description: 'namespace the samples are applied into' },
    { name: 'controller', env: env('CONTROLLER'), type: 'string', default: 'in-process', description: 'in-process: run the controller here; none: leave it to you' },
    { name: 'fast-poll', env: env('FAST_POLL'), type: 'string', default: '1s', description: 'controller poll interval while an Imply cluster is transitional' },
    { name: 'slow-poll', env: env('SLOW_POLL'), type: 'string', default: '30s', description: 'controller poll interval of a stable Imply cluster' },
    { name: 'log-level', env: env('LOG_LEVEL'), type: 'string', default: 'info', description: 'pino level of the controller and emulator logs, written to <state-dir>/controller.log and emulator.log' },
  ],
  async run(values) {
    const options = optionsFrom(values);
    const stop = new AbortController();
    const onSignal = (): void => {
      if (!stop.signal.aborted) return stop.abort();
      options.print('Second signal: exiting without waiting');
      process.exit(1);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      await runDevStack({ ...options, signal: stop.signal });
    } catch (error) {
      if (!(error instanceof DevInterruptedError)) throw error;
      // The build's child processes would keep this process alive.
      console.error(error.message);
      process.exit(130);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

function optionsFrom(values: FlagValues): Omit<DevStackOptions, 'signal'> {
  const controller = stringFlag(values, 'controller') ?? 'in-process';
  if (!isControllerMode(controller)) throw new UsageError(`--controller must be one of ${controllerModes.join(', ')}, got ${JSON.stringify(controller)}`);
  return {
    emulatorPort: intFlag(values, 'emulator-port') ?? 9444,
    transitionMs: intFlag(values, 'transition-ms') ?? 3000,
    stateDir: resolve(stringFlag(values, 'state-dir') || '.kube-dev'),
    examples: values['no-examples'] === true ? [] : examplePathsFrom(listFlag(values, 'examples')),
    namespace: stringFlag(values, 'namespace') ?? 'imply-demo',
    logLevel: stringFlag(values, 'log-level') ?? 'info',
    controller,
    polls: { fastMs: duration(values, 'fast-poll'), slowMs: duration(values, 'slow-poll') },
    print: (line) => void process.stdout.write(`${line}\n`),
  };
}

/** Paths relative to the current directory; the default falls back to the package's examples/ when run elsewhere. */
function examplePathsFrom(given: readonly string[]): string[] {
  const paths = given.filter((p) => p !== '');
  if (paths.length === 1 && paths[0] === defaultExamples && !existsSync(resolve(defaultExamples))) {
    return [fileURLToPath(new URL('../../examples/', import.meta.url))];
  }
  for (const path of paths) if (!existsSync(resolve(path))) throw new UsageError(`--examples ${path}: no such file or directory`);
  return paths.map((p) => resolve(p));
}

function isControllerMode(mode: string): mode is (typeof controllerModes)[number] {
  return (controllerModes as readonly string[]).includes(mode);
}

