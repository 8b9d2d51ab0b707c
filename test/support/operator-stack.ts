// An integration test's whole world: a fresh namespace on the shared kube-apiserver, an emulator
// over real HTTP, an ImplyAccount with its credentials Secret, and the controller as users run it
// (its own process, watching only that namespace).
import { CoordinationV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js';
import { group, implyAccountPlural, implyClusterPlural, version, type ImplyCluster, type ImplyClusterSpec } from '../../src/implycluster/implycluster-resource.js';
import type { Condition } from '../../src/kube/condition.js';
import { pollUntil } from '../../src/kube/poll-until.js';
import { ControllerProcess } from './controller-process.js';
import { EmulatorAdmin } from './emulator-admin.js';
import { freshNamespace, kubeConfig, kubeconfigPath } from './kube.js';

/** The emulator's static token in every stack. */
export const emulatorToken = 'test-token';

/** Options of startStack. */
export interface StackOptions {
  /** Namespace prefix; default `ic`. */
  prefix?: string;
  emulator?: EmulatorOptions;
  /** Extra controller flags (after the defaults: fast poll 200ms, slow poll 60s, backoff 200ms..5s). */
  controllerArgs?: string[];
  /** Skip starting the controller (start it later with startController). */
  withoutController?: boolean;
}

/** A running stack; `stop()` in afterEach/afterAll. */
export class OperatorStack {
  controller: ControllerProcess | undefined;
  readonly custom: CustomObjectsApi;
  readonly core: CoreV1Api;

  private constructor(
    readonly namespace: string,
    readonly emulator: EmulatorHandle,
    readonly admin: EmulatorAdmin,
    readonly kube: KubeConfig,
    readonly controllerArgs: string[],
  ) {
    this.custom = kube.makeApiClient(CustomObjectsApi);
    this.core = kube.makeApiClient(CoreV1Api);
  }

  /** Starts emulator, namespace, account (named `default`) and controller. */
  static async start(options: StackOptions = {}): Promise<OperatorStack> {
    const emulator = await startEmulator({ tokens: [emulatorToken], transitionMs: 300, ...options.emulator });
    const namespace = await freshNamespace(options.prefix ?? 'ic');
    const args = ['--kubeconfig', kubeconfigPath(), '--watch-namespace', namespace, '--fast-poll', '200ms', '--slow-poll', '60s', '--backoff-base', '200ms', '--backoff-max', '5s', '--log-level', 'debug', '--metrics-bind-address', '0', '--health-probe-bind-address', '0', ...(options.controllerArgs ?? [])];
    const stack = new OperatorStack(namespace, emulator, new EmulatorAdmin(emulator.origin, emulatorToken), kubeConfig(), args);
    await stack.core.createNamespacedSecret({ namespace, body: { metadata: { name: 'imply-credentials' }, stringData: { token: emulatorToken } } });
    await stack.custom.createNamespacedCustomObject({
      group, version, namespace, plural: implyAccountPlural,
      body: { apiVersion: `${group}/${version}`, kind: 'ImplyAccount', metadata: { name: 'default' }, spec: { url: emulator.url, credentialsSecretRef: { name: 'imply-credentials' }, requestsPerSecond: 100, burst: 100 } },
    });
    if (!options.withoutController) stack.startController();
    return stack;
  }

  /** Starts (or restarts) the controller process. */
  startController(extraArgs: string[] = []): ControllerProcess {
    this.controller = ControllerProcess.start([...this.controllerArgs, ...extraArgs]);
    return this.controller;
  }

  /** Creates an ImplyCluster. */
  async createCluster(name: string, spec: ImplyClusterSpec, metadata: { annotations?: Record<string, string>; labels?: Record<string, string> } = {}): Promise<ImplyCluster> {
    const body = { apiVersion: `${group}/${version}`, kind: 'ImplyCluster', metadata: { name, ...metadata }, spec };
    return (await this.custom.createNamespacedCustomObject({ group, version, namespace: this.namespace, plural: implyClusterPlural, body })) as ImplyCluster;
  }

  /** Reads an ImplyCluster. */
  async getCluster(name: string): Promise<ImplyCluster> {
    return (await this.custom.getNamespacedCustomObject({ group, version, namespace: this.namespace, plural: implyClusterPlural, name })) as ImplyCluster;
  }

  /** Changes the spec of an ImplyCluster (read, modify, replace; retried on conflict). */
  async editCluster(name: string, edit: (spec: ImplyClusterSpec) => void): Promise<ImplyCluster> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.getCluster(name);
      edit(current.spec);
      try {
        return (await this.custom.replaceNamespacedCustomObject({ group, version, namespace: this.namespace, plural: implyClusterPlural, name, body: current })) as ImplyCluster;
      } catch (error) {
        if ((error as { code?: number }).code !== 409 || attempt > 5) throw error;
      }
    }
  }

  /** Waits until `predicate` holds for the ImplyCluster; fails with its last status and the controller log tail. */
  async waitForCluster(name: string, what: string, predicate: (c: ImplyCluster) => boolean, timeoutMs = 60_000): Promise<ImplyCluster> {
    let last: ImplyCluster | undefined;
    const found = await pollUntil(async () => {
      last = await this.getCluster(name);
      return predicate(last) ? last : undefined;
    }, { timeoutMs, intervalMs: 100 });
    if (found === undefined) {
      throw new Error(`timed out waiting for ${name}: ${what}\nstatus: ${JSON.stringify(last?.status, null, 1)}\ncontroller log tail:\n${this.controller?.output.split('\n').slice(-30).join('\n')}`);
    }
    return found;
  }

  /** Waits for a condition of the ImplyCluster with the current generation. */
  async waitForCondition(name: string, type: string, status: Condition['status'], reason?: string, timeoutMs?: number): Promise<ImplyCluster> {
    return this.waitForCluster(name, `${type}=${status}${reason ? ` (${reason})` : ''}`, (c) => {
      const condition = c.status?.conditions?.find((x) => x.type === type);
      return condition?.status === status && (reason === undefined || condition.reason === reason) && condition.observedGeneration === c.metadata.generation;
    }, timeoutMs);
  }

  /** Count of one Manager API operation's requests, all status codes together. */
  async apiCalls(operation: string): Promise<number> {
    return Object.values(await this.admin.countsOf(operation)).reduce((a, b) => a + b, 0);
  }

  /** Count of Manager API writes (create, overwrite, update, delete, restart). */
  async apiWrites(): Promise<number> {
    const counts = await Promise.all(['createCluster', 'overwriteCluster', 'updateCluster', 'deleteCluster', 'restartServer'].map((op) => this.apiCalls(op)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Stops the controller and the emulator. */
  async stop(): Promise<void> {
    await this.controller?.stop();
    await this.emulator.close();
  }
}

/** The Manager API as another party would use it (drift, adoption, conflicts). */
export async function callApi(stack: OperatorStack, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${stack.emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${emulatorToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

/** The Lease `name` in `namespace`, or undefined when it does not exist (yet). */
export async function readLease(namespace: string, name = 'imply-operator-leader'): Promise<V1Lease | undefined> {
  try {
    return await kubeConfig().makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace, name });
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

/** Calls `probe` until it returns a value other than undefined (a throwing probe counts as undefined); throws `timed out: what` after `timeoutMs`. */
export async function eventually<T>(what: string | (() => string), probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000, intervalMs = 100): Promise<T> {
  let lastError: unknown;
  const found = await pollUntil(async () => {
    try {
      return await probe();
    } catch (error) {
      lastError = error;
      return undefined;
    }
  }, { timeoutMs, intervalMs });
  if (found === undefined) {
    const detail = lastError === undefined ? '' : ` (last error: ${(lastError as Error).message})`;
    throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}${detail}`);
  }
  return found;
}
