// The whole local stack of `imply-operator dev`: etcd + kube-apiserver with the CRDs, the Manager
// API emulator, the controller (in this process), the sample resources, and a live view of their
// conditions. Everything started is registered on a ShutdownStack at once, so a failure half-way
// through, or the stop signal, tears down exactly what is running.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import { parse, stringify } from 'yaml';
import { startEmulator, type EmulatorHandle } from '../emulator/index.js';
import { implyClusterKind } from '../implycluster/implycluster-resource.js';
import { ControlPlane } from '../kube/control-plane.js';
import { ConditionWatch } from './condition-watch.js';
import { applyManifests, devManifestFor, exampleFilesIn, exampleManifestsFrom } from './example-manifests.js';
import { ensureDevKubeBinaries, type DevKubeBinaries } from './kube-binaries-loader.js';
import { ShutdownStack } from './shutdown-stack.js';
import { claimStateDir } from './state-dir.js';

/** The token the emulator accepts; examples/account.yaml puts it in its credentials Secret. */
export const devToken = 'dev-token';
const crdDir = fileURLToPath(new URL('../../crds/', import.meta.url));

/** Options of {@link runDevStack}. */
export interface DevStackOptions {
  /** Port of the emulator. */
  emulatorPort: number;
  /** Length of each transitional Imply state in the emulator, in ms. */
  transitionMs: number;
  /** Absolute directory for the kubeconfig, logs and the control plane's working directory. */
  stateDir: string;
  /** Files and directories of sample manifests; empty for none. */
  examples: readonly string[];
  /** Namespace the samples go into (unless they name one). */
  namespace: string;
  /** pino level of the controller and emulator logs (files in stateDir). */
  logLevel: string;
  /** Run the controller in this process, or not at all (to run your own against the stack). */
  controller: 'in-process' | 'none';
  /** Controller poll intervals, in ms. */
  polls: { fastMs: number; slowMs: number };
  /** Aborted on SIGINT/SIGTERM: the stack stops. */
  signal: AbortSignal;
  /** Receives every line meant for the terminal. */
  print: (line: string) => void;
}

/** A stop signal arrived while the Kubernetes binaries were still building (the build cannot be cancelled). */
export class DevInterruptedError extends Error {
  readonly code = 'InterruptedDuringBuild';
}

/** Starts the stack, runs until `signal` aborts, then stops everything it started. */
export async function runDevStack(options: DevStackOptions): Promise<void> {
  const stack = new ShutdownStack();
  try {
    await startStack(options, stack);
    await abortedOf(options.signal);
  } catch (error) {
    // A stop during start-up kills etcd and kube-apiserver at once (exit-cleanup, and Ctrl-C reaches
    // the whole process group), so the step in progress fails: that is the stop, not an error.
    if (!options.signal.aborted) throw error;
  } finally {
    options.print('Stopping: controller, emulator, kube-apiserver and etcd …');
    await stack.closeAll((name, error) => options.print(`cannot stop ${name}: ${error instanceof Error ? error.message : String(error)}`));
  }
  options.print('Stopped.');
}

async function startStack(options: DevStackOptions, stack: ShutdownStack): Promise<void> {
  const { print, signal, stateDir } = options;
  print(`imply-operator dev: kube-apiserver + etcd, the Imply emulator, the controller and samples (state in ${stateDir})`);
  await mkdir(stateDir, { recursive: true });
  stack.push('state directory claim', await claimStateDir(stateDir));
  const binaries = await kubeBinariesFor(options);
  // The emulator before the control plane: a busy port then fails in milliseconds, not seconds.
  const emulator = await startDevEmulator(options, stack);
  print(`Imply emulator: ${emulator.url} (token ${devToken}, transitions ${String(options.transitionMs)} ms, log ${join(stateDir, 'emulator.log')})`);
  if (signal.aborted) return;
  print(`Starting etcd and kube-apiserver (CRDs from ${crdDir}) …`);
  const plane = await ControlPlane.start({ kubeApiserverPath: binaries.kubeApiserver, etcdPath: binaries.etcd, crdPaths: await exampleFilesIn([crdDir]), baseDir: stateDir });
  stack.push('kube-apiserver and etcd', () => plane.stop());
  const kubeconfigPath = join(stateDir, 'kubeconfig');
  await writeFile(kubeconfigPath, kubeconfigWithNamespace(plane.kubeconfig, options.namespace), { mode: 0o600 });
  stack.push('kubeconfig', () => rm(kubeconfigPath, { force: true }));
  print(`Kubernetes API server: ${plane.server} (logs in ${plane.dir})`);
  if (signal.aborted) return;
  const kubeConfig = plane.kubeConfig();
  // Samples first: the controller's first list then sees the account with its clusters.
  const expectedClusters = await applyExamples(options, kubeConfig, emulator);
  if (signal.aborted) return;
  await startController(options, kubeConfig, stack);
  printTryLines(options, { kubeconfigPath, kubectl: binaries.kubectl, cluster: expectedClusters[0] });
  const watch = ConditionWatch.start({ kubeConfig, expectedClusters, print, onAllReady: () => print('All sample clusters are Ready') });
  stack.push('condition watch', () => watch.stop());
}

async function kubeBinariesFor(options: DevStackOptions): Promise<DevKubeBinaries> {
  const { print, signal } = options;
  const building = ensureDevKubeBinaries({
    onBuildStart: () => print('No kube-apiserver/etcd/kubectl cached yet: building them from source now; the first run takes about 20 minutes (later runs reuse the cache).'),
    onProgress: (line) => print(`[kube-bins] ${line}`),
  });
  const binaries = await Promise.race([building, abortedOf(signal).then(() => undefined)]);
  if (binaries === undefined) throw new DevInterruptedError('stopped while the Kubernetes binaries were building; run again to resume');
  print(`Kubernetes binaries: ${binaries.kubeApiserver.replace(/\/kube-apiserver$/, '')} (${binaries.source === 'env' ? 'KUBEBUILDER_ASSETS' : 'cache'})`);
  return binaries;
}

async function startDevEmulator(options: DevStackOptions, stack: ShutdownStack): Promise<EmulatorHandle> {
  const logger = fileLogger(join(options.stateDir, 'emulator.log'), options.logLevel, stack);
  try {
    const emulator = await startEmulator({ port: options.emulatorPort, tokens: [devToken], transitionMs: options.transitionMs, logger });
    stack.push('emulator', () => emulator.close());
    return emulator;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error;
    throw new Error(`port ${String(options.emulatorPort)} is in use; choose another with --emulator-port (or IMPLY_DEV_EMULATOR_PORT)`, { cause: error });
  }
}

async function startController(options: DevStackOptions, kubeConfig: KubeConfig, stack: ShutdownStack): Promise<void> {
  if (options.controller === 'none') {
    options.print('Controller: not started (--controller none); run your own against the kubeconfig below.');
    return;
  }
  const logPath = join(options.stateDir, 'controller.log');
  const log = fileLogger(logPath, options.logLevel, stack);
  const { startOperator } = await import('../operator.js');
  const operator = await startOperator({ kubeConfig, log, polls: options.polls, backoff: { baseMs: 500, maxMs: 10_000 } });
  stack.push('controller', () => operator.stop({ timeoutMs: 5_000 }));
  options.print(`Controller: in-process, all namespaces, polls ${String(options.polls.fastMs)} ms / ${String(options.polls.slowMs)} ms, log ${logPath}`);
}

/** Creates the namespace and applies the samples; resolves with the `namespace/name` of their ImplyClusters. */
async function applyExamples(options: DevStackOptions, kubeConfig: KubeConfig, emulator: EmulatorHandle): Promise<string[]> {
  if (options.examples.length === 0) {
    options.print('Examples: none (--no-examples)');
    return [];
  }
  const files = await exampleFilesIn(options.examples);
  const manifests = (await exampleManifestsFrom(files)).map((m) => devManifestFor(m.object, { namespace: options.namespace, emulatorUrl: emulator.url }));
  await createNamespace(kubeConfig, options.namespace);
  await applyManifests(kubeConfig, manifests);
  options.print(`Applied ${String(manifests.length)} resources from ${files.join(', ')} into namespace ${options.namespace}`);
  return manifests.filter((m) => m.kind === implyClusterKind).map((m) => `${m.metadata?.namespace ?? ''}/${m.metadata?.name ?? ''}`);
}

async function createNamespace(kubeConfig: KubeConfig, name: string): Promise<void> {
  try {
    await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 409) throw new Error(`cannot create namespace ${name}`, { cause: error });
  }
}

function printTryLines(options: DevStackOptions, facts: { kubeconfigPath: string; kubectl: string; cluster: string | undefined }): void {
  const [namespace, name] = (facts.cluster ?? `${options.namespace}/small`).split('/');
  const lines = [
    '',
    'Point kubectl at it (another terminal):',
    `  export KUBECONFIG=${facts.kubeconfigPath}`,
    `  alias kubectl=${facts.kubectl}    # if kubectl is not installed`,
    '  kubectl get ic -A',
    `  kubectl describe ic -n ${namespace ?? ''} ${name ?? ''}`,
    `  kubectl wait -n ${namespace ?? ''} --for=condition=Ready ic --all --timeout=2m`,
    '',
    'Conditions as they change (Ctrl-C stops everything):',
  ];
  for (const line of lines) options.print(line);
}

/** The control plane's kubeconfig with `namespace` as the context's default, so bare `kubectl get ic` shows the samples. */
function kubeconfigWithNamespace(kubeconfig: string, namespace: string): string {
  const config = parse(kubeconfig) as { contexts?: { context?: Record<string, unknown> }[] };
  for (const entry of config.contexts ?? []) entry.context = { ...entry.context, namespace };
  return stringify(config);
}

/** A pino logger appending to `path`; its file is closed by `stack` after everything logging to it. */
function fileLogger(path: string, level: string, stack: ShutdownStack): Logger {
  const destination = pino.destination({ dest: path, sync: true, append: false, mkdir: true });
  stack.push(`log ${path}`, () => destination.end());
  return pino({ level, redact: { paths: ['*.authorization', '*.password', '*.token', '*.clientSecret'], censor: '[redacted]' } }, destination);
}

function abortedOf(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
