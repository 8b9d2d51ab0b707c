// The emulator's own API under /_emulator/: request counts and journal, faults, runtime config, reset.
import { Type } from '@sinclair/typebox';
import { targetFrom, validatorFor } from '../schema/index.js';
import { ApiError, badArgument } from './api-error.js';
import type { ClusterStore } from './cluster-store.js';
import { FaultSpec, type FaultInjector } from './fault-injector.js';
import type { ReleaseCatalog } from './release-catalog.js';
import type { RequestCounter } from './request-counter.js';
import type { RequestJournal } from './request-journal.js';
import type { Handler } from './request-context.js';
import { apiOperations } from './route-table.js';
import type { TokenAuthority } from './token-authority.js';

/** Body of `PUT /_emulator/config` (and of GET's answer). */
export const EmulatorConfig = Type.Object(
  {
    transitionMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000, description: 'Length of each transitional state, in ms.' })),
    tokenTtlSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'Lifetime of tokens issued from now on, in seconds.' })),
    versions: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 1000, description: 'Releases spec.version may name, for writes from now on.' }),
    ),
  },
  { additionalProperties: false, description: 'Settings that can change at runtime.' },
);

/** What the admin handlers work with. */
export interface AdminDependencies {
  store: ClusterStore;
  faults: FaultInjector;
  counter: RequestCounter;
  journal: RequestJournal;
  releases: ReleaseCatalog;
  authority: TokenAuthority;
  persist: () => Promise<void>;
}

const validateFault = validatorFor<FaultSpec>(FaultSpec);
const validateConfig = validatorFor<{ transitionMs?: number; tokenTtlSeconds?: number; versions?: string[] }>(EmulatorConfig);
const faultOperations = [...apiOperations, 'token'];

/** Handlers of every admin operation, by operation name. */
export function adminHandlers(deps: AdminDependencies): Record<string, Handler> {
  const { store, faults, counter, journal, releases, authority, persist } = deps;
  const config = () => ({ transitionMs: store.transitionMs, tokenTtlSeconds: authority.tokenTtlSeconds, versions: releases.versions });
  return {
    getRequests: () => ({ status: 200, body: counter.counts() }),
    resetRequests: () => {
      counter.reset();
      return { status: 204 };
    },
    getJournal: (ctx) => {
      const operation = ctx.query.get('operation') ?? undefined;
      if (operation !== undefined && !apiOperations.includes(operation) && operation !== 'unmatched') {
        throw badArgument([{ code: 'InvalidValue', target: 'operation', message: `operation must be one of [${apiOperations.join(', ')}, unmatched]` }]);
      }
      return { status: 200, body: { entries: journal.entries(operation) } };
    },
    clearJournal: () => {
      journal.clear();
      return { status: 204 };
    },
    listFaults: () => ({ status: 200, body: { faults: faults.list() } }),
    addFault: async (ctx) => {
      const spec = checked(await ctx.json(), validateFault);
      const unknown = (spec.operations ?? []).findIndex((op) => !faultOperations.includes(op));
      if (unknown >= 0) {
        throw badArgument([{ code: 'InvalidValue', target: `operations[${unknown}]`, message: `operations[${unknown}] must be one of [${faultOperations.join(', ')}]` }]);
      }
      return { status: 201, body: faults.add(spec) };
    },
    clearFaults: () => {
      faults.clear();
      return { status: 204 };
    },
    removeFault: (ctx) => {
      const id = ctx.params['faultId'] ?? '';
      if (!faults.remove(id)) throw new ApiError(404, 'NotFound', `Fault [${id}] was not found`);
      return { status: 204 };
    },
    getConfig: () => ({ status: 200, body: config() }),
    setConfig: async (ctx) => {
      const body = checked(await ctx.json(), validateConfig);
      if (body.transitionMs !== undefined) store.transitionMs = body.transitionMs;
      if (body.tokenTtlSeconds !== undefined) authority.tokenTtlSeconds = body.tokenTtlSeconds;
      if (body.versions !== undefined) releases.versions = body.versions;
      return { status: 200, body: config() };
    },
    reset: async () => {
      store.reset();
      faults.clear();
      counter.reset();
      journal.clear();
      await persist();
      return { status: 204 };
    },
    failCluster: async (ctx) => {
      const cluster = store.fail(ctx.params['clusterId'] ?? '');
      await persist();
      return { status: 200, body: cluster };
    },
  };
}

function checked<T>(body: unknown, validate: ReturnType<typeof validatorFor<T>>): T {
  if (validate(body)) return body;
  throw badArgument(
    (validate.errors ?? []).map((e) => {
      const extra = (e.params as { additionalProperty?: string }).additionalProperty;
      const target = targetFrom(e.instancePath, extra);
      return { code: extra === undefined ? 'InvalidValue' : 'UnknownField', target, message: `${target || 'body'} ${e.message ?? 'is invalid'}` };
    }),
  );
}
