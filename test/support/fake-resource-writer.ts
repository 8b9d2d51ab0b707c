// An in-memory ResourceWriter and Lister of one custom resource kind, as the API server and an
// informer's cache would behave for the controller: status and metadata merge patches (RFC 7386),
// resourceVersion bumped on every write, a stale resourceVersion refused with 409, and a way for a
// test to edit an object as a user would (a spec change bumps metadata.generation).
import { isDeepStrictEqual } from 'node:util';
import type { CustomObject, ResourceWriter } from '../../src/kube/custom-resource-client.js';
import type { Lister } from '../../src/implyaccount/account-clients.js';
import { mergePatch } from './fake-cluster-record.js';

/** An error shaped like client-node's ApiException: `code` is the HTTP status. */
export class FakeApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'FakeApiError';
  }
}

/** Objects held by a FakeResourceWriter: a custom object with a spec. */
export type StoredObject = CustomObject & { spec?: unknown; metadata: NonNullable<CustomObject['metadata']> };

/** In-memory ResourceWriter<T> and Lister<T> (get by `namespace/name`); every read returns a copy. */
export class FakeResourceWriter<T extends StoredObject> implements ResourceWriter<T>, Lister<T> {
  readonly #objects = new Map<string, T>();
  #resourceVersion = 0;
  #statusWrites = 0;
  #metadataWrites = 0;
  #rejectedWrites = 0;
  readonly #statusPatches: object[] = [];

  /** Stores `object` as given, with a fresh resourceVersion (generation 1 unless set). */
  put(object: T): T {
    const copy = structuredClone(object);
    copy.metadata.generation ??= 1;
    copy.metadata.resourceVersion = this.#nextVersion();
    this.#objects.set(keyFor(copy.metadata.namespace ?? '', copy.metadata.name ?? ''), copy);
    return structuredClone(copy);
  }

  /** Edits a stored object as a user would: a change of spec bumps generation; status is kept. */
  edit(key: string, change: (object: T) => void): T {
    const stored = this.#existing(key);
    const edited = structuredClone(stored);
    change(edited);
    if (stored.status === undefined) delete edited.status;
    else edited.status = stored.status;
    if (!isDeepStrictEqual(edited.spec, stored.spec)) edited.metadata.generation = (stored.metadata.generation ?? 1) + 1;
    edited.metadata.resourceVersion = this.#nextVersion();
    this.#objects.set(key, edited);
    return structuredClone(edited);
  }

  /** Removes an object. */
  remove(key: string): void {
    this.#objects.delete(key);
  }

  /** Lister: the object at `namespace/name`. ResourceWriter: the object, as a promise. */
  get(key: string): T | undefined;
  get(namespace: string, name: string): Promise<T | undefined>;
  get(keyOrNamespace: string, name?: string): T | undefined | Promise<T | undefined> {
    if (name === undefined) return this.#copyOf(keyOrNamespace);
    return Promise.resolve(this.#copyOf(keyFor(keyOrNamespace, name)));
  }

  async patchStatus(namespace: string, name: string, status: object, resourceVersion?: string): Promise<T> {
    const stored = this.#guarded(namespace, name, resourceVersion);
    stored.status = mergePatch(stored.status ?? {}, status) as object;
    stored.metadata.resourceVersion = this.#nextVersion();
    this.#statusWrites++;
    this.#statusPatches.push(structuredClone(status));
    return structuredClone(stored);
  }

  async patchMetadata(namespace: string, name: string, metadata: object, resourceVersion: string | undefined): Promise<T> {
    const stored = this.#guarded(namespace, name, resourceVersion);
    const { resourceVersion: _rv, generation, ...rest } = stored.metadata;
    const merged = mergePatch(rest, metadata) as T['metadata'];
    stored.metadata = { ...merged, generation, resourceVersion: this.#nextVersion() } as T['metadata'];
    this.#metadataWrites++;
    return structuredClone(stored);
  }

  /** Successful status patches so far. */
  statusWriteCount(): number {
    return this.#statusWrites;
  }

  /** Successful metadata patches so far. */
  metadataWriteCount(): number {
    return this.#metadataWrites;
  }

  /** Patches refused with 409 (stale resourceVersion) so far. */
  conflictCount(): number {
    return this.#rejectedWrites;
  }

  /** Every successful status patch body, oldest first. */
  statusPatches(): object[] {
    return structuredClone(this.#statusPatches);
  }

  #guarded(namespace: string, name: string, resourceVersion: string | undefined): T {
    const key = keyFor(namespace, name);
    const stored = this.#objects.get(key);
    if (stored === undefined) throw new FakeApiError(404, `${key} not found`);
    if (resourceVersion !== undefined && resourceVersion !== stored.metadata.resourceVersion) {
      this.#rejectedWrites++;
      throw new FakeApiError(409, `Operation cannot be fulfilled on ${key}: the object has been modified`);
    }
    return stored;
  }

  #existing(key: string): T {
    const stored = this.#objects.get(key);
    if (stored === undefined) throw new Error(`no object ${key}`);
    return stored;
  }

  #copyOf(key: string): T | undefined {
    const stored = this.#objects.get(key);
    return stored === undefined ? undefined : structuredClone(stored);
  }

  #nextVersion(): string {
    return String(++this.#resourceVersion);
  }
}

function keyFor(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
