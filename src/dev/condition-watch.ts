// What `dev` shows while the sample clusters come up: one line whenever an ImplyCluster's state,
// Ready or Synced (or an ImplyAccount's Ready) changes, and a line once every sample cluster is Ready.
// Polling a list every second is plenty for a terminal and survives API server restarts unaided.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { Condition } from '../kube/condition.js';
import { group, implyAccountPlural, implyClusterPlural, version } from '../implycluster/implycluster-resource.js';

/** The fields of ImplyCluster and ImplyAccount the watch reads. */
interface WatchedResource {
  metadata: { namespace?: string; name?: string; generation?: number };
  status?: { state?: string; conditions?: Condition[] };
}

/** Options of {@link ConditionWatch.start}. */
export interface ConditionWatchOptions {
  kubeConfig: KubeConfig;
  /** `namespace/name` of the ImplyClusters that must be Ready for `onAllReady`. */
  expectedClusters: readonly string[];
  /** Receives each line to show. */
  print: (line: string) => void;
  /** Called each time the expected clusters become all Ready (again). */
  onAllReady?: () => void;
  /** Interval between two lists, in ms; default 1000. */
  intervalMs?: number;
}

/** Polls ImplyClusters and ImplyAccounts in every namespace and prints their changes. */
export class ConditionWatch {
  readonly #options: ConditionWatchOptions;
  readonly #api: CustomObjectsApi;
  readonly #lines = new Map<string, string>();
  #isAllReady = false;
  #lastError: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> = Promise.resolve();
  #isStopped = false;

  private constructor(options: ConditionWatchOptions) {
    this.#options = options;
    this.#api = options.kubeConfig.makeApiClient(CustomObjectsApi);
  }

  /** Starts polling at once. */
  static start(options: ConditionWatchOptions): ConditionWatch {
    const watch = new ConditionWatch(options);
    watch.#schedule(0);
    return watch;
  }

  /** Stops polling; resolves after a list in flight has finished. */
  async stop(): Promise<void> {
    this.#isStopped = true;
    clearTimeout(this.#timer);
    await this.#polling;
  }

  #schedule(delayMs: number): void {
    if (this.#isStopped) return;
    this.#timer = setTimeout(() => {
      this.#polling = this.#poll().finally(() => this.#schedule(this.#options.intervalMs ?? 1000));
    }, delayMs);
  }

  async #poll(): Promise<void> {
    let clusters: WatchedResource[];
    let accounts: WatchedResource[];
    try {
      [clusters, accounts] = await Promise.all([this.#list(implyClusterPlural), this.#list(implyAccountPlural)]);
    } catch (error) {
      const message = `cannot list ImplyClusters: ${error instanceof Error ? error.message : String(error)}`;
      if (message !== this.#lastError && !this.#isStopped) this.#options.print(message);
      this.#lastError = message;
      return;
    }
    this.#lastError = undefined;
    const current = new Map<string, string>();
    for (const a of accounts) current.set(`account ${keyOf(a)}`, accountLineFor(a));
    for (const c of clusters) current.set(`cluster ${keyOf(c)}`, clusterLineFor(c));
    for (const [id, line] of current) if (this.#lines.get(id) !== line) this.#options.print(line);
    for (const id of this.#lines.keys()) if (!current.has(id)) this.#options.print(`${id.split(' ')[1] ?? id}  deleted`);
    this.#lines.clear();
    for (const [id, line] of current) this.#lines.set(id, line);
    this.#checkAllReady(clusters);
  }

  async #list(plural: string): Promise<WatchedResource[]> {
    const list = (await this.#api.listClusterCustomObject({ group, version, plural })) as { items?: WatchedResource[] };
    return (list.items ?? []).sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  }

  #checkAllReady(clusters: readonly WatchedResource[]): void {
    const { expectedClusters } = this.#options;
    if (expectedClusters.length === 0) return;
    const ready = new Set(clusters.filter(isReady).map(keyOf));
    const isAllReady = expectedClusters.every((key) => ready.has(key));
    if (isAllReady && !this.#isAllReady) this.#options.onAllReady?.();
    this.#isAllReady = isAllReady;
  }
}

const keyOf = (r: WatchedResource): string => `${r.metadata.namespace ?? ''}/${r.metadata.name ?? ''}`;

const conditionOf = (r: WatchedResource, type: string): Condition | undefined => r.status?.conditions?.find((c) => c.type === type);

/** Ready=True for the resource's current generation. */
function isReady(r: WatchedResource): boolean {
  const ready = conditionOf(r, 'Ready');
  return ready?.status === 'True' && (ready.observedGeneration === undefined || ready.observedGeneration === r.metadata.generation);
}

/** `Ready=False(Creating)`; the reason is left out for Synced=True, where it says nothing. */
function conditionText(r: WatchedResource, type: string): string {
  const c = conditionOf(r, type);
  if (c === undefined) return `${type}=?`;
  return type === 'Synced' && c.status === 'True' ? `${type}=True` : `${type}=${c.status}(${c.reason})`;
}

function clusterLineFor(c: WatchedResource): string {
  if (c.status?.conditions === undefined) return `${keyOf(c).padEnd(28)} ${'-'.padEnd(9)} waiting for the controller`;
  const synced = conditionOf(c, 'Synced');
  const problem = synced?.status === 'False' && synced.message !== '' ? `  ${synced.message}` : '';
  return `${keyOf(c).padEnd(28)} ${(c.status?.state ?? '-').padEnd(9)} ${conditionText(c, 'Ready').padEnd(24)} ${conditionText(c, 'Synced')}${problem}`;
}

function accountLineFor(a: WatchedResource): string {
  if (a.status?.conditions === undefined) return `${keyOf(a).padEnd(28)} ${'account'.padEnd(9)} waiting for the controller`;
  const ready = conditionOf(a, 'Ready');
  const problem = ready?.status === 'False' && ready.message !== '' ? `  ${ready.message}` : '';
  return `${keyOf(a).padEnd(28)} ${'account'.padEnd(9)} ${conditionText(a, 'Ready')}${problem}`;
}
