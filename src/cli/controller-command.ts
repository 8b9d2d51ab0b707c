// `imply-operator controller`: serves metrics and probes, optionally waits to lead, runs the
// controller until SIGTERM or SIGINT, then stops taking work, finishes in-flight reconciles
// (bounded), releases the lease and exits 0.
import { KubeConfig } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import { durationFlag as duration, intFlag, stringFlag, UsageError, type Command, type FlagValues } from './command-line.js';
import type { OperatorMetrics } from '../metrics/operator-metrics.js';
import type { Operator } from '../operator.js';

const env = (name: string) => `IMPLY_OPERATOR_${name}`;
/** A watch that has been silent this long is considered dead (API servers end watches within 60 minutes). */
const maxWatchSilenceMs = 65 * 60_000;

/** The `controller` subcommand. */
export const controllerCommand: Command = {
  name: 'controller',
  summary: 'Run the controller: reconcile ImplyCluster and ImplyAccount resources with the Imply Manager API',
  flags: [
    { name: 'kubeconfig', env: 'KUBECONFIG', type: 'string', description: 'kubeconfig file (default: in-cluster config, else ~/.kube/config)' },
    { name: 'watch-namespace', env: env('WATCH_NAMESPACE'), type: 'string', description: 'watch only this namespace (default: all)' },
    { name: 'shard-selector', env: env('SHARD_SELECTOR'), type: 'string', description: 'label selector: reconcile only the ImplyClusters it matches, e.g. shard=a (default: all)' },
    { name: 'concurrency', env: env('CONCURRENCY'), type: 'string', default: '4', description: 'ImplyClusters reconciled at once' },
    { name: 'fast-poll', env: env('FAST_POLL'), type: 'string', default: '5s', description: 'poll interval while an Imply cluster is transitional' },
    { name: 'slow-poll', env: env('SLOW_POLL'), type: 'string', default: '5m', description: 'poll interval of a stable Imply cluster (annotation cloud.imply.io/poll-interval overrides)' },
    { name: 'busy-max', env: env('BUSY_MAX'), type: 'string', default: '60s', description: 'longest wait after a 409 StateConflict' },
    { name: 'backoff-base', env: env('BACKOFF_BASE'), type: 'string', default: '1s', description: 'first retry delay after an error (doubles per failure)' },
    { name: 'backoff-max', env: env('BACKOFF_MAX'), type: 'string', default: '5m', description: 'longest retry delay after errors' },
    { name: 'deletion-timeout', env: env('DELETION_TIMEOUT'), type: 'string', default: '10m', description: 'how long a blocked deletion (account, Secret or API gone) waits before reporting Stalled' },
    { name: 'shutdown-timeout', env: env('SHUTDOWN_TIMEOUT'), type: 'string', default: '30s', description: 'how long SIGTERM waits for in-flight reconciles' },
    { name: 'leader-elect', env: env('LEADER_ELECT'), type: 'boolean', description: 'compete for a Lease; only the leader reconciles' },
    { name: 'leader-election-namespace', env: env('LEADER_ELECTION_NAMESPACE'), type: 'string', description: 'namespace of the Lease (default: $POD_NAMESPACE or the in-cluster namespace)' },
    { name: 'leader-election-id', env: env('LEADER_ELECTION_ID'), type: 'string', default: 'imply-operator-leader', description: 'name of the Lease' },
    { name: 'lease-duration', env: env('LEASE_DURATION'), type: 'string', default: '15s', description: 'how long a lease stays valid; standbys wait this long after the leader vanishes' },
    { name: 'renew-deadline', env: env('RENEW_DEADLINE'), type: 'string', default: '10s', description: 'the leader stops writing when it could not renew for this long' },
    { name: 'retry-period', env: env('RETRY_PERIOD'), type: 'string', default: '2s', description: 'interval between acquire and renew attempts' },
    { name: 'metrics-bind-address', env: env('METRICS_BIND_ADDRESS'), type: 'string', default: ':8080', description: 'address of /metrics ("0" disables)' },
    { name: 'health-probe-bind-address', env: env('HEALTH_PROBE_BIND_ADDRESS'), type: 'string', default: ':8081', description: 'address of /healthz and /readyz ("0" disables)' },
    { name: 'log-level', env: env('LOG_LEVEL'), type: 'string', default: 'info', description: 'pino log level (trace, debug, info, warn, error, silent)' },
  ],
  async run(values) {
    const log = pino({ level: stringFlag(values, 'log-level') ?? 'info', redact: { paths: ['*.authorization', '*.password', '*.token', '*.clientSecret'], censor: '[redacted]' } });
    const kubeConfig = new KubeConfig();
    const file = stringFlag(values, 'kubeconfig');
    if (file !== undefined) kubeConfig.loadFromFile(file);
    else kubeConfig.loadFromDefault();
    const [{ startOperator }, { OperatorMetrics }, { startHealthServer }] = await Promise.all([
      import('../operator.js'),
      import('../metrics/operator-metrics.js'),
      import('../metrics/health-server.js'),
    ]);
    const stopped = signalled();
    const metrics = new OperatorMetrics();
    const running: { operator?: Operator; isStarting: boolean } = { isStarting: true };
    const health = await startHealthServer({
      metrics: metrics.registry,
      metricsBindAddress: stringFlag(values, 'metrics-bind-address') ?? ':8080',
      healthProbeBindAddress: stringFlag(values, 'health-probe-bind-address') ?? ':8081',
      logger: log,
      // A standby is ready (it serves its purpose by waiting); the leader once caches synced and watches live.
      isReady: () => (running.operator === undefined ? !running.isStarting : running.operator.hasSynced() && running.operator.lastEventAgeMs() < maxWatchSilenceMs),
    });
    const elector = values['leader-elect'] === true ? await leaderElectorFor(values, kubeConfig, log, metrics) : undefined;
    if (elector !== undefined) {
      elector.start();
      running.isStarting = false;
      const leading = await Promise.race([elector.whenLeading(), stopped.then(() => false)]);
      if (!leading) {
        elector.stop();
        await health.close();
        return;
      }
    }
    const operator = await startOperator({
      kubeConfig,
      log,
      watchNamespace: stringFlag(values, 'watch-namespace'),
      shardSelector: stringFlag(values, 'shard-selector'),
      concurrency: intFlag(values, 'concurrency') ?? 4,
      polls: { fastMs: duration(values, 'fast-poll'), slowMs: duration(values, 'slow-poll'), busyMaxMs: duration(values, 'busy-max') },
      backoff: { baseMs: duration(values, 'backoff-base'), maxMs: duration(values, 'backoff-max') },
      deletionTimeoutMs: duration(values, 'deletion-timeout'),
      metrics,
      onRequest: metrics.onRequest,
      ...(elector ? { mayWrite: () => elector.confirmLeadership() } : {}),
    });
    running.operator = operator;
    running.isStarting = false;
    log.info({ watchNamespace: stringFlag(values, 'watch-namespace') ?? '(all)' }, 'controller started');
    await stopped;
    log.info('shutting down');
    await operator.stop({ timeoutMs: duration(values, 'shutdown-timeout') });
    // After the reconciles: they still need the fence to pass while finishing.
    await elector?.release();
    await health.close();
    log.info('controller stopped');
  },
};

/** Resolves on the first SIGTERM or SIGINT. */
function signalled(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}

async function leaderElectorFor(values: FlagValues, kubeConfig: KubeConfig, log: Logger, metrics: OperatorMetrics) {
  const [{ LeaderElector, defaultLeaderIdentity }, { KubeLeaseLock, podNamespace }] = await Promise.all([
    import('../controller/leader-election.js'),
    import('../kube/kube-lease-lock.js'),
  ]);
  const namespace = stringFlag(values, 'leader-election-namespace') ?? process.env['POD_NAMESPACE'] ?? podNamespace();
  if (namespace === undefined) throw new UsageError('--leader-elect needs --leader-election-namespace (or $POD_NAMESPACE, or an in-cluster namespace)');
  const name = stringFlag(values, 'leader-election-id') ?? 'imply-operator-leader';
  try {
    return new LeaderElector({
      lock: new KubeLeaseLock(kubeConfig, { namespace, name }),
      identity: defaultLeaderIdentity(),
      leaseDurationMs: duration(values, 'lease-duration'),
      renewDeadlineMs: duration(values, 'renew-deadline'),
      retryPeriodMs: duration(values, 'retry-period'),
      logger: log,
      metrics: metrics.leaderElection(name),
      onStoppedLeading: (reason) => {
        if (reason !== 'lost') return;
        // As controller-runtime: a deposed leader exits at once and lets its Deployment restart it.
        log.error('leader election lost');
        process.exit(1);
      },
    });
  } catch (error) {
    throw new UsageError(`invalid leader election timings: ${(error as Error).message}`);
  }
}
