// Fault injection for tests and benchmarks: latency, 429/5xx, dropped connections, forced 409 and
// FAILED, each for all or some operations, with a probability and/or a count, seeded.
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../schema/index.js';
import { SeededRandom } from './seeded-random.js';

/** Every kind of fault. */
export const faultKinds = ['latency', 'error', 'drop', 'conflict', 'fail'] as const;
/** A kind of fault. */
export type FaultKind = (typeof faultKinds)[number];

/** Body of `POST /_emulator/faults`. */
export const FaultSpec = Type.Object(
  {
    kind: StringEnum(faultKinds, {
      description: 'latency: delay, then answer normally; error: answer `status`; drop: destroy the connection; conflict: 409 StateConflict; fail: the transition the write starts ends in FAILED.',
    }),
    operations: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Operations it applies to (default: every Manager API operation, not `token`).' })),
    clusterId: Type.Optional(Type.String({ description: 'Only requests for this cluster.' })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Chance that a matching request is hit (default 1).' })),
    count: Type.Optional(Type.Integer({ minimum: 1, description: 'Hit at most this many requests, then the fault is removed (default unlimited).' })),
    status: Type.Optional(Type.Integer({ minimum: 429, maximum: 599, description: 'HTTP status of an error fault: 429 or 5xx (default 503).' })),
    retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0, description: 'Retry-After of an error fault (default none; 1 for 429).' })),
    latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000, description: 'Delay of a latency fault, in ms (default 1000).' })),
  },
  { additionalProperties: false, description: 'A fault to inject.' },
);
/** A fault to inject. */
export type FaultSpec = Static<typeof FaultSpec>;

/** An active fault: its spec, an id and how often it has hit. */
export interface Fault extends FaultSpec {
  id: string;
  hits: number;
}

/** Holds the active faults and decides, with a seeded PRNG, which request each one hits. */
export class FaultInjector {
  #faults: Fault[] = [];
  #random: SeededRandom;
  #seed: number;
  #nextId = 1;

  /** `seed`: same seed, same sequence of requests, same decisions. */
  constructor(seed: number) {
    this.#seed = seed;
    this.#random = new SeededRandom(seed ^ 0x5bd1e995);
  }

  /** Adds a fault and returns it. */
  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...structuredClone(spec), id: `fault-${this.#nextId++}`, hits: 0 };
    this.#faults.push(fault);
    return structuredClone(fault);
  }

  /** Active faults, oldest first. */
  list(): Fault[] {
    return structuredClone(this.#faults);
  }

  /** Removes one fault; false when there is none with that id. */
  remove(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    return this.#faults.length !== before;
  }

  /** Removes every fault and restarts the PRNG from the seed. */
  clear(): void {
    this.#faults = [];
    this.#random = new SeededRandom(this.#seed ^ 0x5bd1e995);
  }

  /** The first fault of `kind` that hits this request (counted and used up), if any. */
  take(kind: FaultKind, operation: string, clusterId?: string): Fault | undefined {
    for (const fault of this.#faults) {
      if (fault.kind !== kind || !appliesTo(fault, operation, clusterId)) continue;
      const draw = this.#random.next();
      if (draw >= (fault.probability ?? 1)) continue;
      fault.hits += 1;
      if (fault.count !== undefined && fault.hits >= fault.count) this.remove(fault.id);
      return structuredClone(fault);
    }
    return undefined;
  }
}

function appliesTo(fault: Fault, operation: string, clusterId: string | undefined): boolean {
  const operationMatches = fault.operations === undefined ? operation !== 'token' : fault.operations.includes(operation);
  return operationMatches && (fault.clusterId === undefined || fault.clusterId === clusterId);
}
