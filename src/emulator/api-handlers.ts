// The Manager API operations: HTTP in, ClusterStore calls, HTTP out. Writes to one cluster are
// serialized and persisted before they are answered.
import type { ClusterSpec } from '../schema/index.js';
import { badBody } from './api-error.js';
import type { ClusterStore, WriteOptions } from './cluster-store.js';
import { configurationInputFrom } from './configuration-input.js';
import type { FaultInjector } from './fault-injector.js';
import { KeyedMutex } from './keyed-mutex.js';
import { isJsonObject, mergePatch } from './merge-patch.js';
import type { ReleaseCatalog } from './release-catalog.js';
import { isDryRun, type Handler, type RequestContext } from './request-context.js';

/** What the API handlers work with. */
export interface ApiDependencies {
  store: ClusterStore;
  faults: FaultInjector;
  /** The releases `spec.version` may name. */
  releases: ReleaseCatalog;
  /** Resolves once every change made so far is durable (no-op without a data file). */
  persist: () => Promise<void>;
}

/** Handlers of every Manager API operation, by operation name. */
export function apiHandlers(deps: ApiDependencies): Record<string, Handler> {
  const { store, faults, releases, persist } = deps;
  const mutex = new KeyedMutex();
  const writeOptions = (ctx: RequestContext, uid?: string): WriteOptions => ({
    dryRun: isDryRun(ctx),
    failAtEnd: () => faults.take('fail', ctx.operation, uid) !== undefined,
    forceConflict: () => faults.take('conflict', ctx.operation, uid) !== undefined,
  });
  const durable = async (ctx: RequestContext) => {
    if (!isDryRun(ctx)) await persist();
  };
  const uidOf = (ctx: RequestContext) => ctx.params['clusterId'] ?? '';

  return {
    listClusters: () => ({ status: 200, body: store.list() }),
    getCluster: (ctx) => ({ status: 200, body: store.get(uidOf(ctx)) }),
    getClusterVersion: (ctx) => ({ status: 200, body: store.history(uidOf(ctx), ctx.params['resourceVersion'] ?? '') }),
    listServers: (ctx) => ({ status: 200, body: store.servers(uidOf(ctx)) }),
    getServer: (ctx) => ({ status: 200, body: store.server(uidOf(ctx), ctx.params['serverId'] ?? '') }),

    createCluster: async (ctx) => {
      const input = configurationInputFrom(await ctx.json(), undefined, releases);
      const cluster = store.create(input, writeOptions(ctx));
      await durable(ctx);
      return { status: isDryRun(ctx) ? 200 : 202, body: cluster };
    },

    overwriteCluster: async (ctx) => {
      const uid = uidOf(ctx);
      const body = await ctx.json();
      return mutex.run(uid, async () => {
        store.get(uid); // an unknown cluster is a 404 before the body is validated
        const { cluster, changed } = store.configure(uid, configurationInputFrom(body, uid, releases), writeOptions(ctx, uid));
        if (changed) await durable(ctx);
        return { status: changed && !isDryRun(ctx) ? 202 : 200, body: cluster };
      });
    },

    updateCluster: async (ctx) => {
      const uid = uidOf(ctx);
      const patch = await ctx.json({ mergePatch: true });
      if (!isJsonObject(patch)) throw badBody('InvalidValue', 'Request body must be a JSON object');
      const { status: _ignored, ...changes } = patch;
      return mutex.run(uid, async () => {
        const current = store.get(uid);
        const base = { metadata: current.metadata, spec: withoutPasswordSet(current.spec) };
        const input = configurationInputFrom(mergePatch(base, changes), uid, releases);
        if (clearsPassword(changes)) input.password = { kind: 'clear' };
        const { cluster, changed } = store.configure(uid, input, writeOptions(ctx, uid));
        if (changed) await durable(ctx);
        return { status: changed && !isDryRun(ctx) ? 202 : 200, body: cluster };
      });
    },

    deleteCluster: async (ctx) => {
      const uid = uidOf(ctx);
      return mutex.run(uid, async () => {
        const cluster = store.delete(uid, writeOptions(ctx, uid));
        await durable(ctx);
        return { status: isDryRun(ctx) ? 200 : 202, body: cluster };
      });
    },

    restartServer: async (ctx) => {
      const uid = uidOf(ctx);
      return mutex.run(uid, async () => {
        const server = store.restart(uid, ctx.params['serverId'] ?? '', writeOptions(ctx, uid));
        await persist();
        return { status: 202, body: server };
      });
    },
  };
}

function withoutPasswordSet(spec: ClusterSpec): ClusterSpec {
  const copy = structuredClone(spec);
  if (copy.metadataStore !== undefined) delete copy.metadataStore.passwordSet;
  return copy;
}

/** A merge patch with `spec.metadataStore.password: null` removes the stored password. */
function clearsPassword(patch: Record<string, unknown>): boolean {
  const spec = patch['spec'];
  const store = isJsonObject(spec) ? spec['metadataStore'] : undefined;
  return isJsonObject(store) && store['password'] === null;
}
