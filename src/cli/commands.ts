import type { Command } from './command-line.js';

/**
 * Every subcommand of `imply-operator`, loaded lazily so that `emulator` does not pay for the
 * Kubernetes client and `controller` does not load the emulator.
 */
export const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  emulator: {
    summary: 'Run the Imply Cloud Manager API emulator (local development, CI, demos)',
    load: async () => (await import('../emulator/emulator-command.js')).emulatorCommand,
  },
  controller: {
    summary: 'Run the controller: reconcile ImplyCluster and ImplyAccount resources with the Imply Manager API',
    load: async () => (await import('./controller-command.js')).controllerCommand,
  },
  dev: { summary: 'Run a whole local stack: kube-apiserver + etcd, the emulator, the CRDs, the controller and the examples', load: async () => (await import('../dev/dev-command.js')).devCommand },
};
