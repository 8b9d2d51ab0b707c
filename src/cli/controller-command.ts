// `imply-operator controller`: runs the controller until SIGTERM or SIGINT, then stops taking work,
// finishes in-flight reconciles (bounded) and exits 0.
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { intFlag, stringFlag, type Command } from './command-line.js';
import { durationMsFrom } from '../implycluster/poll-delay.js';
import { UsageError } from './command-line.js';

const env = (name: string) => `IMPLY_OPERATOR_${name}`;

/** The `controller` subcommand. */
export const controllerCommand: Command = {
  name: 'controller',
  summary: 'Run the controller: reconcile ImplyCluster and ImplyAccount resources with the Imply Manager API',
  flags: [
    { name: 'kubeconfig', env: 'KUBECONFIG', type: 'string', description: 'kubeconfig file (default: in-cluster config, else ~/.kube/config)' },
    { name: 'watch-namespace', env: env('WATCH_NAMESPACE'), type: 'string', description: 'watch only this namespace (default: all)' },
    { name: 'concurrency', env: env('CONCURRENCY'), type: 'string', default: '4', description: 'ImplyClusters reconciled at once' },
    { name: 'fast-poll', env: env('FAST_POLL'), type: 'string', default: '5s', description: 'poll interval while an Imply cluster is transitional' },
    { name: 'slow-poll', env: env('SLOW_POLL'), type: 'string', default: '5m', description: 'poll interval of a stable Imply cluster (annotation cloud.imply.io/poll-interval overrides)' },
    { name: 'busy-max', env: env('BUSY_MAX'), type: 'string', default: '60s', description: 'longest wait after a 409 StateConflict' },
    { name: 'backoff-base', env: env('BACKOFF_BASE'), type: 'string', default: '1s', description: 'first retry delay after an error (doubles per failure)' },
    { name: 'backoff-max', env: env('BACKOFF_MAX'), type: 'string', default: '5m', description: 'longest retry delay after errors' },
    { name: 'deletion-timeout', env: env('DELETION_TIMEOUT'), type: 'string', default: '10m', description: 'how long a blocked deletion (account, Secret or API gone) waits before reporting Stalled' },
    { name: 'shutdown-timeout', env: env('SHUTDOWN_TIMEOUT'), type: 'string', default: '30s', description: 'how long SIGTERM waits for in-flight reconciles' },
    { name: 'log-level', env: env('LOG_LEVEL'), type: 'string', default: 'info', description: 'pino log level (trace, debug, info, warn, error, silent)' },
  ],
  async run(values) {
    const log = pino({ level: stringFlag(values, 'log-level') ?? 'info', redact: { paths: ['*.authorization', '*.password', '*.token', '*.clientSecret'], censor: '[redacted]' } });
    const kubeConfig = new KubeConfig();
    const file = stringFlag(values, 'kubeconfig');
    if (file !== undefined) kubeConfig.loadFromFile(file);
    else kubeConfig.loadFromDefault();
    const { startOperator } = await import('../operator.js');
    const operator = await startOperator({
      kubeConfig,
      log,
      watchNamespace: stringFlag(values, 'watch-namespace'),
      concurrency: intFlag(values, 'concurrency') ?? 4,
      polls: { fastMs: duration(values, 'fast-poll'), slowMs: duration(values, 'slow-poll'), busyMaxMs: duration(values, 'busy-max') },
      backoff: { baseMs: duration(values, 'backoff-base'), maxMs: duration(values, 'backoff-max') },
      deletionTimeoutMs: duration(values, 'deletion-timeout'),
    });
    log.info({ watchNamespace: stringFlag(values, 'watch-namespace') ?? '(all)' }, 'controller started');
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    log.info('shutting down');
    await operator.stop({ timeoutMs: duration(values, 'shutdown-timeout') });
    log.info('controller stopped');
  },
};

function duration(values: Parameters<Command['run']>[0], name: string): number {
  const text = stringFlag(values, name);
  const ms = text === undefined ? undefined : durationOrMs(text);
  if (ms === undefined) throw new UsageError(`--${name} must be a duration such as 500ms, 5s, 5m or 1h, got ${JSON.stringify(text)}`);
  return ms;
}

function durationOrMs(text: string): number | undefined {
  const match = text.trim().match(/^(\d+)ms$/);
  return match ? Number(match[1]) : durationMsFrom(text);
}
