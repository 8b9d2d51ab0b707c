// A LeaseLock on a coordination.k8s.io/v1 Lease. Two traps of client-node 1.4 live here: its
// serializer does not know V1MicroTime, so reads hand back the raw string despite the Date type,
// and a plain Date is written with three fractional digits, which the API server rejects
// (MicroTime wants exactly six). Times are therefore written as V1MicroTime and read as either.
import { readFileSync } from 'node:fs';
import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { LeaderElectionError } from '../controller/leader-election-error.js';
import type { LeaseLock, LeaseRecord, StoredLease } from '../controller/lease-lock.js';
import { statusCodeOf } from './custom-resource-client.js';

/** Options of KubeLeaseLock. */
export interface KubeLeaseLockOptions {
  /** Namespace of the Lease. */
  namespace: string;
  /** Name of the Lease. */
  name: string;
}

/** A LeaseLock on one Lease object, using resourceVersion conflicts (409) as the lock. */
export class KubeLeaseLock implements LeaseLock {
  readonly description: string;
  readonly #api: CoordinationV1Api;
  readonly #namespace: string;
  readonly #name: string;

  constructor(kubeConfig: KubeConfig, options: KubeLeaseLockOptions) {
    this.#api = kubeConfig.makeApiClient(CoordinationV1Api);
    this.#namespace = options.namespace;
    this.#name = options.name;
    this.description = `${options.namespace}/${options.name}`;
  }

  async get(): Promise<StoredLease | undefined> {
    try {
      return storedLeaseFrom(await this.#api.readNamespacedLease({ namespace: this.#namespace, name: this.#name }));
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw new Error('cannot read lease', { cause: error });
    }
  }

  async create(record: LeaseRecord): Promise<StoredLease> {
    const body: V1Lease = { metadata: { name: this.#name, namespace: this.#namespace }, spec: leaseSpecFor(record) };
    try {
      return storedLeaseFrom(await this.#api.createNamespacedLease({ namespace: this.#namespace, body }));
    } catch (error) {
      throw conflictOr(error, 'cannot create lease');
    }
  }

  async replace(record: LeaseRecord, resourceVersion: string): Promise<StoredLease> {
    const body: V1Lease = { metadata: { name: this.#name, namespace: this.#namespace, resourceVersion }, spec: leaseSpecFor(record) };
    try {
      return storedLeaseFrom(await this.#api.replaceNamespacedLease({ namespace: this.#namespace, name: this.#name, body }));
    } catch (error) {
      throw conflictOr(error, 'cannot replace lease');
    }
  }
}

/** The Lease spec that says `record`; times as V1MicroTime so they serialize with six fractional digits. */
export function leaseSpecFor(record: LeaseRecord): NonNullable<V1Lease['spec']> {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    leaseTransitions: record.leaseTransitions,
    ...(record.acquireTimeMs === undefined ? {} : { acquireTime: new V1MicroTime(record.acquireTimeMs) }),
    ...(record.renewTimeMs === undefined ? {} : { renewTime: new V1MicroTime(record.renewTimeMs) }),
  };
}

/** The record and version of a Lease as the API server returned it. */
export function storedLeaseFrom(lease: V1Lease): StoredLease {
  const spec = lease.spec ?? {};
  return {
    resourceVersion: lease.metadata?.resourceVersion ?? '',
    record: {
      holderIdentity: spec.holderIdentity ?? '',
      leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
      acquireTimeMs: microTimeMsFrom(spec.acquireTime),
      renewTimeMs: microTimeMsFrom(spec.renewTime),
      leaseTransitions: spec.leaseTransitions ?? 0,
    },
  };
}

/** Epoch ms of a MicroTime as client-node hands it over: a string on reads (typed Date), or a Date. */
export function microTimeMsFrom(value: unknown): number | undefined {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

function conflictOr(error: unknown, message: string): Error {
  if (statusCodeOf(error) === 409) return new LeaderElectionError('LeaseConflict', 'lease changed concurrently', { cause: error });
  return new Error(message, { cause: error });
}

/** The namespace of the pod this process runs in (from its service-account mount), or undefined outside a cluster. */
export function podNamespace(path = '/var/run/secrets/kubernetes.io/serviceaccount/namespace'): string | undefined {
  try {
    const namespace = readFileSync(path, 'utf8').trim();
    return namespace === '' ? undefined : namespace;
  } catch {
    return undefined;
  }
}
