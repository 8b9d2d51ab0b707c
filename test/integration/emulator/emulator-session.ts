// Test helpers: an emulator on an ephemeral port and raw HTTP calls against it.
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../../src/emulator/index.js';
import type { ClusterSpec, ObservedCluster } from '../../../src/schema/index.js';

/** Static token with the manage-clusters role in every session. */
export const token = 'test-token';
/** Static token without the role. */
export const readonlyToken = 'readonly-token';

/** A raw answer: status, headers and the body text (bodies are compared byte for byte). */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** Options of one call. */
export interface CallOptions {
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body`. */
  rawBody?: string;
  /** Bearer token; null sends no Authorization header. Default `token`. */
  token?: string | null;
  headers?: Record<string, string>;
}

/** An emulator for one test file, with call helpers. */
export class EmulatorSession {
  readonly emulator: EmulatorHandle;

  private constructor(emulator: EmulatorHandle) {
    this.emulator = emulator;
  }

  /** Starts an emulator on an ephemeral port with short transitions. */
  static async start(options: EmulatorOptions = {}): Promise<EmulatorSession> {
    return new EmulatorSession(await startEmulator({ tokens: [token], readonlyTokens: [readonlyToken], transitionMs: 30, seed: 1, ...options }));
  }

  /** Calls `path` relative to the API base URL (or absolute when it starts with `http`). */
  async call(method: string, path: string, options: CallOptions = {}): Promise<RawResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const bearer = options.token === undefined ? token : options.token;
    if (bearer !== null) headers['Authorization'] = `Bearer ${bearer}`;
    let body: string | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['Content-Type'] ??= 'application/json';
    const url = path.startsWith('http') ? path : `${this.emulator.url}${path}`;
    const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  /** Calls an admin endpoint (`/_emulator/...`). */
  admin(method: string, path: string, options: CallOptions = {}): Promise<RawResponse> {
    return this.call(method, `${this.emulator.origin}/_emulator${path}`, options);
  }

  /** Creates a cluster and returns it (asserting 202). */
  async create(name: string, s: ClusterSpec = clusterSpec()): Promise<ObservedCluster> {
    const res = await this.call('POST', '/clusters', { body: { metadata: { name }, spec: s } });
    if (res.status !== 202) throw new Error(`create answered ${res.status}: ${res.text}`);
    return res.json as ObservedCluster;
  }

  /** Reads a cluster (asserting 200). */
  async get(uid: string): Promise<ObservedCluster> {
    const res = await this.call('GET', `/clusters/${uid}`);
    if (res.status !== 200) throw new Error(`get answered ${res.status}: ${res.text}`);
    return res.json as ObservedCluster;
  }

  /** Polls the cluster until its state is `state`. */
  async waitForState(uid: string, state: string): Promise<ObservedCluster> {
    return eventually(async () => {
      const cluster = await this.get(uid);
      if (cluster.status.state !== state) throw new Error(`state ${cluster.status.state}, waiting for ${state}`);
      return cluster;
    });
  }

  /** Creates a cluster and waits until it is in `state` (STARTED, STOPPED or FAILED). */
  async clusterIn(name: string, state: 'STARTED' | 'STOPPED' | 'FAILED'): Promise<string> {
    const uid = (await this.create(name, clusterSpec({ desiredState: state === 'STOPPED' ? 'STOPPED' : 'STARTED' }))).metadata.uid;
    await this.waitForState(uid, state === 'STOPPED' ? 'STOPPED' : 'STARTED');
    if (state === 'FAILED') await this.admin('POST', `/clusters/${uid}/fail`);
    return uid;
  }

  /** Stops the emulator. */
  close(): Promise<void> {
    return this.emulator.close();
  }
}

/** A valid spec with the required fields; `overrides` replace top-level fields. */
export function clusterSpec(overrides: Partial<ClusterSpec> = {}): ClusterSpec {
  return {
    version: '2021.01',
    awsInstanceRole: 'arn:aws:iam::123456789012:instance-profile/imply',
    master: { replicas: 1, instanceType: 'm5.large' },
    query: { replicas: 1, instanceType: 'm5.large' },
    data: { tiers: [{ name: 'default', replicas: 2, instanceType: 'i3.xlarge' }] },
    deepStorage: { path: 's3://my-bucket/druid' },
    ...overrides,
  };
}

/** Retries `check` until it stops throwing (every 10 ms, up to `timeoutMs`, default 10 s). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
