// ManagerApi over HTTP (Node's global fetch, which keeps connections alive by default).
import type { ValidateFunction } from 'ajv';
import type { Cluster, HistoricalCluster, ObservedCluster, Server } from '../schema/index.js';
import type { Sleep } from './abortable-sleep.js';
import type { AuthProvider } from './auth/auth-provider.js';
import { NotFoundError } from './errors.js';
import { HttpTransport, type TransportRequest } from './http-transport.js';
import type { CallOptions, ClusterPatch, ManagerApi, WriteOptions } from './manager-api.js';
import type { RequestBudget } from './request-budget.js';
import type { OnRequest } from './request-observation.js';
import { responseValidators, validatedResponse } from './response-validation.js';
import { RetryPolicy, type RetryPolicyOptions } from './retry-policy.js';

/** Options of {@link HttpManagerApi}. */
export interface HttpManagerApiOptions {
  /** Base URL of the API, e.g. `https://acme.implycloud.com/api/v1` or the emulator's `http://127.0.0.1:PORT/api/v1`. */
  baseUrl: string;
  /** Where the Authorization header comes from: StaticTokenAuth or OAuthClientCredentialsAuth. */
  auth: AuthProvider;
  /** Account label for metrics; default `default`. */
  account?: string;
  /** Per-attempt timeout in milliseconds, covering the response body too; default 30000. */
  timeoutMs?: number;
  /** The account's shared rate and concurrency budget; default none (unlimited). */
  budget?: RequestBudget;
  /** Retries of idempotent reads; default `new RetryPolicy()` (3 attempts, jittered backoff, Retry-After ≤ 30 s). */
  retry?: RetryPolicy | RetryPolicyOptions;
  /** The fetch to use; default globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /** Waits between retries; default real timers. */
  sleep?: Sleep;
  /** Metrics hook, called once per HTTP attempt. */
  onRequest?: OnRequest;
}

/** The Manager API over HTTP: typed, authenticated, rate-limited, and honest about errors. */
export class HttpManagerApi implements ManagerApi {
  readonly #transport: HttpTransport;

  constructor(options: HttpManagerApiOptions) {
    const retry = options.retry instanceof RetryPolicy ? options.retry : new RetryPolicy(options.retry);
    this.#transport = new HttpTransport({
      baseUrl: options.baseUrl,
      auth: options.auth,
      account: options.account ?? 'default',
      timeoutMs: options.timeoutMs ?? 30_000,
      retryPolicy: retry,
      budget: options.budget,
      fetch: options.fetch,
      sleep: options.sleep,
      onRequest: options.onRequest,
    });
  }

  /** All clusters of the account. */
  async listClusters(options: CallOptions = {}): Promise<ObservedCluster[]> {
    return this.#read({ operation: 'listClusters', method: 'GET', path: '/clusters', signal: options.signal }, responseValidators.clusters);
  }

  /** One cluster, `undefined` on 404. */
  async getCluster(clusterId: string, options: CallOptions = {}): Promise<ObservedCluster | undefined> {
    const request = { operation: 'getCluster', method: 'GET', path: clusterPath(clusterId), signal: options.signal } as const;
    return absentOn404(() => this.#read(request, responseValidators.cluster));
  }

  /** Creates a cluster; never retried. */
  async createCluster(cluster: Cluster, options: WriteOptions = {}): Promise<ObservedCluster> {
    const path = withDryRun('/clusters', options);
    return this.#read({ operation: 'createCluster', method: 'POST', path, body: cluster, secrets: secretsOf(cluster), signal: options.signal }, responseValidators.cluster);
  }

  /** Replaces the whole spec (PUT). */
  async overwriteCluster(clusterId: string, cluster: Cluster, options: WriteOptions = {}): Promise<ObservedCluster> {
    const path = withDryRun(clusterPath(clusterId), options);
    return this.#read(
      { operation: 'overwriteCluster', method: 'PUT', path, body: cluster, secrets: secretsOf(cluster), signal: options.signal },
      responseValidators.cluster,
    );
  }

  /** Applies a JSON Merge Patch (PATCH, `application/merge-patch+json`). */
  async updateCluster(clusterId: string, patch: ClusterPatch, options: WriteOptions = {}): Promise<ObservedCluster> {
    const path = withDryRun(clusterPath(clusterId), options);
    return this.#read(
      {
        operation: 'updateCluster',
        method: 'PATCH',
        path,
        body: patch,
        contentType: 'application/merge-patch+json',
        secrets: secretsOf(patch),
        signal: options.signal,
      },
      responseValidators.cluster,
    );
  }

  /** Starts deleting; `undefined` when already gone. */
  async deleteCluster(clusterId: string, options: CallOptions = {}): Promise<ObservedCluster | undefined> {
    const request = { operation: 'deleteCluster', method: 'DELETE', path: clusterPath(clusterId), signal: options.signal } as const;
    return absentOn404(() => this.#read(request, responseValidators.cluster));
  }

  /** The configuration at one version; `undefined` on 404. */
  async getClusterVersion(clusterId: string, resourceVersion: number, options: CallOptions = {}): Promise<HistoricalCluster | undefined> {
    const path = `${clusterPath(clusterId)}/history/${encodeURIComponent(String(resourceVersion))}`;
    return absentOn404(() => this.#read({ operation: 'getClusterVersion', method: 'GET', path, signal: options.signal }, responseValidators.historicalCluster));
  }

  /** Servers of a cluster; NotFoundError when the cluster does not exist. */
  async listServers(clusterId: string, options: CallOptions = {}): Promise<Server[]> {
    const path = `${clusterPath(clusterId)}/servers`;
    return this.#read({ operation: 'listServers', method: 'GET', path, signal: options.signal }, responseValidators.servers);
  }

  /** One server; `undefined` on 404. */
  async getServer(clusterId: string, serverId: string, options: CallOptions = {}): Promise<Server | undefined> {
    const path = serverPath(clusterId, serverId);
    return absentOn404(() => this.#read({ operation: 'getServer', method: 'GET', path, signal: options.signal }, responseValidators.server));
  }

  /** Restarts one server; never retried. */
  async restartServer(clusterId: string, serverId: string, options: CallOptions = {}): Promise<Server> {
    const path = `${serverPath(clusterId, serverId)}/restart`;
    return this.#read({ operation: 'restartServer', method: 'POST', path, signal: options.signal }, responseValidators.server);
  }

  async #read<T>(request: TransportRequest, validate: ValidateFunction<T>): Promise<T> {
    const reply = await this.#transport.send(request);
    return validatedResponse<T>(validate, reply.body, { method: request.method, path: request.path, status: reply.status });
  }
}

function clusterPath(clusterId: string): string {
  return `/clusters/${encodeURIComponent(clusterId)}`;
}

function serverPath(clusterId: string, serverId: string): string {
  return `${clusterPath(clusterId)}/servers/${encodeURIComponent(serverId)}`;
}

function withDryRun(path: string, options: WriteOptions): string {
  return options.dryRun === true ? `${path}?dryRun=true` : path;
}

/** The metadata store password of a body, if any: write-only, and never to be echoed in an error. */
function secretsOf(body: Cluster | ClusterPatch): (string | undefined)[] {
  const password = body.spec?.metadataStore?.password;
  return [typeof password === 'string' ? password : undefined];
}

async function absentOn404<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
