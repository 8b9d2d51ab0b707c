import type { ErrorCallback, KubernetesObject, ObjectCallback } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { InformerSource, specOrMetadataChanged, type InformerWithCache } from '../../../src/kube/informer-source.js';
import { keyOf } from '../../../src/kube/object-key.js';
import { ManualClock } from '../../support/manual-clock.js';

type Obj = KubernetesObject & { spec?: { secretName?: string } };
type Callback = (arg?: unknown) => void;
type StartBehaviour = 'ok' | 'listFails' | 'rejects';

/** Behaves like client-node 1.4's ListWatch as far as the source can see, including stop() emitting `error`. */
class FakeInformer implements InformerWithCache<Obj> {
  readonly handlers = new Map<string, Callback[]>();
  readonly objects = new Map<string, Obj>();
  startCalls = 0;
  stopCalls = 0;
  startBehaviours: StartBehaviour[] = [];
  stopError: Error = new Error('aborted by stop');

  on(verb: 'add' | 'update' | 'delete' | 'change', cb: ObjectCallback<Obj>): void;
  on(verb: 'error' | 'connect', cb: ErrorCallback): void;
  on(verb: string, cb: ObjectCallback<Obj> | ErrorCallback): void {
    this.handlers.set(verb, [...(this.handlers.get(verb) ?? []), cb as Callback]);
  }
  off(verb: 'add' | 'update' | 'delete' | 'change', cb: ObjectCallback<Obj>): void;
  off(verb: 'error' | 'connect', cb: ErrorCallback): void;
  off(verb: string, cb: ObjectCallback<Obj> | ErrorCallback): void {
    this.handlers.set(verb, (this.handlers.get(verb) ?? []).filter((h) => h !== cb));
  }
  emit(verb: string, arg?: unknown): void {
    for (const handler of this.handlers.get(verb) ?? []) handler(arg);
  }
  async start(): Promise<void> {
    this.startCalls++;
    const behaviour = this.startBehaviours.shift() ?? 'ok';
    if (behaviour === 'rejects') throw new Error('No currently active cluster');
    this.emit('connect');
    if (behaviour === 'listFails') this.emit('error', Object.assign(new Error('list failed'), { statusCode: 500 }));
  }
  async stop(): Promise<void> {
    this.stopCalls++;
    queueMicrotask(() => this.emit('error', this.stopError));
  }
  upsert(obj: Obj): void {
    const key = keyOf(obj);
    const isNew = !this.objects.has(key);
    this.objects.set(key, obj);
    this.emit(isNew ? 'add' : 'update', obj);
  }
  remove(obj: Obj): void {
    this.objects.delete(keyOf(obj));
    this.emit('delete', obj);
  }
  get(name: string, namespace?: string): Obj | undefined {
    return this.objects.get(namespace === undefined ? name : `${namespace}/${name}`);
  }
  list(namespace?: string): readonly Obj[] {
    return [...this.objects.values()].filter((o) => namespace === undefined || o.metadata?.namespace === namespace);
  }
}

function setup(options: Partial<ConstructorParameters<typeof InformerSource<Obj>>[0]> = {}) {
  const clock = new ManualClock(1_000_000);
  const informer = new FakeInformer();
  const keys: string[] = [];
  const source = new InformerSource<Obj>({
    informerFactory: () => informer,
    onKey: (key) => keys.push(key),
    clock,
    ...options,
  });
  return { clock, informer, keys, source };
}

const obj = (name: string, extra: Partial<NonNullable<Obj['metadata']>> = {}, spec: Obj['spec'] = {}): Obj => ({
  metadata: { namespace: 'ns', name, generation: 1, ...extra },
  spec,
});

describe('InformerSource', () => {
  it('syncs on start and enqueues keys of added, updated and deleted objects', async () => {
    const { clock, informer, keys, source } = setup();
    expect(source.hasSynced()).toBe(false);
    await source.start();
    expect(source.hasSynced()).toBe(true);
    informer.upsert(obj('a'));
    informer.upsert(obj('a', { resourceVersion: '2' }));
    informer.remove(obj('a'));
    expect(keys).toEqual(['ns/a', 'ns/a', 'ns/a']);
    await clock.advance(5000);
    expect(source.lastEventAgeMs()).toBe(5000);
    informer.upsert(obj('b'));
    expect(source.lastEventAgeMs()).toBe(0);
    expect(source.get('ns/b')).toEqual(obj('b'));
    expect(source.list('ns')).toHaveLength(1);
  });

  it('maps objects to other keys with keysFor, enqueuing both old and new mappings once', async () => {
    const { informer, keys, source } = setup({ keysFor: (o) => [`ns/${o.spec?.secretName ?? 'none'}`, 'ns/always'] });
    await source.start();
    informer.upsert(obj('c', {}, { secretName: 's1' }));
    informer.upsert(obj('c', { resourceVersion: '2' }, { secretName: 's2' }));
    expect(keys).toEqual(['ns/s1', 'ns/always', 'ns/s1', 'ns/always', 'ns/s2']);
  });

  it('skips updates the predicate rejects, such as status-only changes', async () => {
    const { informer, keys, source } = setup({ updatePredicate: specOrMetadataChanged });
    await source.start();
    informer.upsert(obj('a'));
    informer.upsert(obj('a', { resourceVersion: '2' }));
    informer.upsert(obj('a', { resourceVersion: '3', generation: 2 }));
    expect(keys).toEqual(['ns/a', 'ns/a']);
  });

  it('survives a throwing keysFor', async () => {
    const { informer, keys, source } = setup({
      keysFor: (o) => {
        if (o.metadata?.name === 'bad') throw new Error('mapper');
        return [keyOf(o)];
      },
    });
    await source.start();
    informer.upsert(obj('bad'));
    informer.upsert(obj('good'));
    expect(keys).toEqual(['ns/good']);
  });

  it('restarts after an error with doubling backoff, reset by a successful start', async () => {
    const { clock, informer, source } = setup({ restartBaseDelayMs: 1000, restartMaxDelayMs: 3000 });
    await source.start();
    informer.startBehaviours = ['listFails', 'listFails', 'listFails', 'ok'];
    informer.emit('error', new Error('watch failed'));
    const startedAt: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = informer.startCalls;
      while (informer.startCalls === before) await clock.advance(100);
      startedAt.push(clock.now() - 1_000_000);
    }
    expect(startedAt).toEqual([1000, 3000, 6000, 9000]);
    informer.emit('error', new Error('watch failed again'));
    await clock.advance(999);
    expect(informer.startCalls).toBe(5);
    await clock.advance(1);
    expect(informer.startCalls).toBe(6);
  });

  it('is not synced until a start succeeds, and retries a start that rejects', async () => {
    const { clock, informer, source } = setup();
    informer.startBehaviours = ['listFails', 'rejects', 'ok'];
    await source.start();
    expect(source.hasSynced()).toBe(false);
    await clock.advance(1000);
    expect(informer.startCalls).toBe(2);
    expect(source.hasSynced()).toBe(false);
    await clock.advance(2000);
    expect(informer.startCalls).toBe(3);
    expect(source.hasSynced()).toBe(true);
  });

  it('does not restart after its own stop, although stop emits an error', async () => {
    const { clock, informer, source } = setup();
    await source.start();
    await source.stop();
    await clock.advance(600_000);
    expect(informer.stopCalls).toBe(1);
    expect(informer.startCalls).toBe(1);
  });

  it('cancels a pending restart on stop', async () => {
    const { clock, informer, source } = setup();
    await source.start();
    informer.emit('error', new Error('watch failed'));
    await source.stop();
    await clock.advance(600_000);
    expect(informer.startCalls).toBe(1);
  });

  it('ignores the AbortError of an earlier stop arriving after a new start', async () => {
    const { clock, informer, source } = setup();
    informer.stopError = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    await source.start();
    const stopping = source.stop();
    await source.start();
    await stopping;
    await clock.advance(600_000);
    expect(informer.startCalls).toBe(2);
  });
});

describe('specOrMetadataChanged', () => {
  const base: KubernetesObject = {
    metadata: { generation: 3, labels: { a: '1' }, annotations: { b: '2' }, finalizers: ['x', 'y'] },
  };
  const withMeta = (meta: object): KubernetesObject => ({ metadata: { ...base.metadata, ...meta } });

  it.each([
    ['status only (same metadata)', withMeta({ resourceVersion: '9' }), false],
    ['label order only', withMeta({ labels: { a: '1' } }), false],
    ['finalizer order only', withMeta({ finalizers: ['y', 'x'] }), false],
    ['generation', withMeta({ generation: 4 }), true],
    ['label value', withMeta({ labels: { a: '2' } }), true],
    ['annotation added', withMeta({ annotations: { b: '2', c: '3' } }), true],
    ['finalizer removed', withMeta({ finalizers: ['x'] }), true],
    ['deletionTimestamp set', withMeta({ deletionTimestamp: new Date(0) }), true],
    ['no generation (Secret)', { metadata: { labels: { a: '1' } } }, true],
  ])('%s → %s', (_name, updated, expected) => {
    expect(specOrMetadataChanged(base, updated)).toBe(expected);
  });

  it('treats a Date and its RFC 3339 string as the same deletionTimestamp', () => {
    const listed = withMeta({ deletionTimestamp: new Date('2026-01-01T00:00:00Z') });
    const watched = withMeta({ deletionTimestamp: '2026-01-01T00:00:00Z' });
    expect(specOrMetadataChanged(listed, watched)).toBe(false);
  });
});
