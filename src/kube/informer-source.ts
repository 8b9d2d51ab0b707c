// Turns a client-node informer into work-queue keys, and keeps it alive: client-node 1.4 relists
// after 410 and reconnects after a normal watch end, but stops on any other error until start() is
// called again, and its own stop() emits `error` (an AbortError) that must not trigger a restart.
import {
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  type ListPromise,
  type ObjectCache,
} from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import { SystemClock, type CancelTimer, type Clock } from '../controller/clock.js';
import { keyOf, parseKey } from './object-key.js';

/** An informer plus its cache, as makeInformer returns. */
export type InformerWithCache<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

/** Makes the one informer a source uses for its whole life (reused across restarts, keeping its cache). */
export type InformerFactory<T extends KubernetesObject> = () => InformerWithCache<T>;

/** Options of informerFactoryFor: makeInformer's arguments. */
export interface ClientNodeInformerOptions<T extends KubernetesObject> {
  /** Kubeconfig to reach the API server. */
  kubeConfig: KubeConfig;
  /** Watch path, e.g. `/apis/cloud.imply.io/v1alpha1/implyclusters` or `/api/v1/namespaces/ns/secrets`. */
  path: string;
  /** Lists the objects at `path` (the matching client-node list call). */
  listFn: ListPromise<T>;
  /** Label selector applied to the watch (pass the same one to listFn). Default none. */
  labelSelector?: string;
}

/** An InformerFactory over client-node's makeInformer. */
export function informerFactoryFor<T extends KubernetesObject>(options: ClientNodeInformerOptions<T>): InformerFactory<T> {
  return () => makeInformer(options.kubeConfig, options.path, options.listFn, options.labelSelector);
}

/** Options of InformerSource. */
export interface InformerSourceOptions<T extends KubernetesObject> {
  /** Makes the informer (informerFactoryFor in production, a fake in unit tests). */
  informerFactory: InformerFactory<T>;
  /** Receives each key to reconcile (typically `controller.enqueue`). */
  onKey: (key: string) => void;
  /** Keys to enqueue for a changed object. Default: the object's own keyOf(). */
  keysFor?: (obj: T) => readonly string[];
  /** Whether an update is worth enqueuing (e.g. specOrMetadataChanged). Default: every update. */
  updatePredicate?: (oldObj: T, newObj: T) => boolean;
  /** Clock for restart delays and activity timestamps. Default SystemClock. */
  clock?: Clock;
  /** Logger; lines carry `{ source: name }`. Default: no logging. */
  logger?: Logger;
  /** Name for logs. Default 'informer'. */
  name?: string;
  /** First restart delay after an error, in ms; doubles per consecutive failure. Default 1000. */
  restartBaseDelayMs?: number;
  /** Upper bound of the restart delay, in ms. Default 60_000. */
  restartMaxDelayMs?: number;
}

/** Feeds keys of watched objects to a callback, restarts its informer after errors, and exposes the cache. */
export class InformerSource<T extends KubernetesObject> {
  readonly #informer: InformerWithCache<T>;
  readonly #onKey: (key: string) => void;
  readonly #keysFor: (obj: T) => readonly string[];
  readonly #updatePredicate: (oldObj: T, newObj: T) => boolean;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #restartBaseDelayMs: number;
  readonly #restartMaxDelayMs: number;
  // Last object seen per key: client-node's update callback passes only the new object.
  readonly #lastSeen = new Map<string, T>();
  #isRunning = false;
  #hasSynced = false;
  #consecutiveFailures = 0;
  #attempt = 0;
  #failedAttempt = -1;
  #cancelRestart: CancelTimer | undefined;
  #lastWatchActivityMs: number;

  constructor(options: InformerSourceOptions<T>) {
    this.#onKey = options.onKey;
    this.#keysFor = options.keysFor ?? ((obj) => [keyOf(obj)]);
    this.#updatePredicate = options.updatePredicate ?? (() => true);
    this.#clock = options.clock ?? new SystemClock();
    this.#log = (options.logger ?? pino({ enabled: false })).child({ source: options.name ?? 'informer' });
    this.#restartBaseDelayMs = options.restartBaseDelayMs ?? 1000;
    this.#restartMaxDelayMs = options.restartMaxDelayMs ?? 60_000;
    this.#lastWatchActivityMs = this.#clock.now();
    this.#informer = options.informerFactory();
    this.#informer.on('add', (obj) => this.#guard(() => this.#onAdd(obj)));
    this.#informer.on('update', (obj) => this.#guard(() => this.#onUpdate(obj)));
    this.#informer.on('delete', (obj) => this.#guard(() => this.#onDelete(obj)));
    this.#informer.on('connect', () => this.#touch());
    this.#informer.on('error', (error: unknown) => this.#onError(error));
  }

  /** Lists and starts watching; resolves after the first attempt (synced, or failed with a restart scheduled). */
  async start(): Promise<void> {
    if (this.#isRunning) return;
    this.#isRunning = true;
    this.#touch();
    await this.#startInformer();
  }

  /** Stops watching and cancels any pending restart; the `error` client-node emits on stop is ignored. */
  async stop(): Promise<void> {
    this.#isRunning = false;
    this.#cancelRestart?.();
    this.#cancelRestart = undefined;
    await this.#informer.stop();
  }

  /** True once a first list has completed; stays true across restarts (the cache is kept). */
  hasSynced(): boolean {
    return this.#hasSynced;
  }

  /** Clock time (ms) of the last add/update/delete/connect or successful start. */
  lastWatchActivityMs(): number {
    return this.#lastWatchActivityMs;
  }

  /** Milliseconds since lastWatchActivityMs(); a quiet cluster only reconnects every few minutes. */
  lastEventAgeMs(): number {
    return this.#clock.now() - this.#lastWatchActivityMs;
  }

  /** The cached object for `key` (`namespace/name`), or undefined. */
  get(key: string): T | undefined {
    const { namespace, name } = parseKey(key);
    return this.#informer.get(name, namespace === '' ? undefined : namespace);
  }

  /** Cached objects, all or of one namespace. */
  list(namespace?: string): readonly T[] {
    return this.#informer.list(namespace);
  }

  async #startInformer(): Promise<void> {
    this.#cancelRestart = undefined;
    const attempt = ++this.#attempt;
    try {
      await this.#informer.start();
    } catch (error) {
      this.#onError(error);
      return;
    }
    if (!this.#isRunning || this.#failedAttempt === attempt) return;
    if (!this.#hasSynced) this.#log.info('informer synced');
    this.#hasSynced = true;
    this.#consecutiveFailures = 0;
    this.#touch();
  }

  #onError(error: unknown): void {
    // Our own stop() (or a start() over a live watch) aborts the request: not a failure.
    if (!this.#isRunning || isAbortError(error)) return;
    this.#failedAttempt = this.#attempt;
    if (this.#cancelRestart !== undefined) return;
    const backoffMs = this.#restartBaseDelayMs * 2 ** Math.min(this.#consecutiveFailures, 30);
    const delayMs = Math.min(this.#restartMaxDelayMs, backoffMs);
    this.#consecutiveFailures++;
    const consecutiveFailures = this.#consecutiveFailures;
    this.#log.warn({ err: error, delayMs, consecutiveFailures }, 'informer failed; restarting');
    this.#cancelRestart = this.#clock.schedule(delayMs, () => void this.#startInformer());
  }

  #onAdd(obj: T): void {
    this.#touch();
    this.#lastSeen.set(keyOf(obj), obj);
    this.#enqueue(this.#keysFor(obj));
  }

  #onUpdate(obj: T): void {
    this.#touch();
    const key = keyOf(obj);
    const old = this.#lastSeen.get(key);
    this.#lastSeen.set(key, obj);
    if (old !== undefined && !this.#updatePredicate(old, obj)) return;
    this.#enqueue([...(old === undefined ? [] : this.#keysFor(old)), ...this.#keysFor(obj)]);
  }

  #onDelete(obj: T): void {
    this.#touch();
    this.#lastSeen.delete(keyOf(obj));
    this.#enqueue(this.#keysFor(obj));
  }

  #enqueue(keys: readonly string[]): void {
    for (const key of new Set(keys)) this.#onKey(key);
  }

  #touch(): void {
    this.#lastWatchActivityMs = this.#clock.now();
  }

  // client-node calls handlers inside its watch loop: a throwing mapper must not break the watch.
  #guard(handle: () => void): void {
    try {
      handle();
    } catch (error) {
      this.#log.error({ err: error }, 'informer event handler failed');
    }
  }
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Milliseconds since the epoch of a timestamp that may be a Date (listed) or a string (watched). */
function epochMsOf(value: Date | string | undefined): number | undefined {
  return value === undefined ? undefined : new Date(value).getTime();
}

function sameRecord(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * Update predicate that ignores status-only changes: true when generation, labels, annotations,
 * deletionTimestamp or finalizers differ. Without a generation on both (Secrets, ConfigMaps) it
 * cannot tell, and returns true.
 */
export function specOrMetadataChanged(oldObj: KubernetesObject, newObj: KubernetesObject): boolean {
  const a = oldObj.metadata ?? {};
  const b = newObj.metadata ?? {};
  if (a.generation === undefined || b.generation === undefined || a.generation !== b.generation) return true;
  if (!sameRecord(a.labels, b.labels) || !sameRecord(a.annotations, b.annotations)) return true;
  if (epochMsOf(a.deletionTimestamp) !== epochMsOf(b.deletionTimestamp)) return true;
  return [...(a.finalizers ?? [])].sort().join('\n') !== [...(b.finalizers ?? [])].sort().join('\n');
}
