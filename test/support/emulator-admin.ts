// A tiny client of the emulator's admin API (/_emulator/), for counting requests and injecting faults.
import type { Fault, FaultSpec, JournalEntry, RequestCounts } from '../../src/emulator/index.js';

/** Talks to `/_emulator/` with a static token that has the manage-clusters role. */
export class EmulatorAdmin {
  readonly #origin: string;
  readonly #token: string;

  constructor(origin: string, token: string) {
    this.#origin = origin;
    this.#token = token;
  }

  /** Adds a fault (see src/emulator/fault-injector.ts). */
  async addFault(spec: FaultSpec): Promise<void> {
    await this.#call('POST', '/faults', spec);
  }

  /** Active faults with their hit counts. */
  async faults(): Promise<Fault[]> {
    return ((await this.#call('GET', '/faults')) as { faults: Fault[] }).faults;
  }

  /** Removes every fault. */
  async clearFaults(): Promise<void> {
    await this.#call('DELETE', '/faults');
  }

  /** Request counts by group, operation and status. */
  async requests(): Promise<RequestCounts> {
    return (await this.#call('GET', '/requests')) as RequestCounts;
  }

  /** Counts of one API operation by status, e.g. `{ '503': 2, '200': 1 }`. */
  async countsOf(operation: string): Promise<Record<string, number>> {
    const counts = await this.requests();
    return counts.api[operation] ?? counts.token[operation] ?? {};
  }

  /** Changes runtime settings (transitionMs, tokenTtlSeconds) for what begins afterwards. */
  async setConfig(config: { transitionMs?: number; tokenTtlSeconds?: number }): Promise<void> {
    await this.#call('PUT', '/config', config);
  }

  /** The journal of Manager API requests, oldest first, optionally of one operation (e.g. `updateCluster`). */
  async journal(operation?: string): Promise<JournalEntry[]> {
    const query = operation === undefined ? '' : `?operation=${encodeURIComponent(operation)}`;
    return ((await this.#call('GET', `/journal${query}`)) as { entries: JournalEntry[] }).entries;
  }

  /** Forgets the journal so far. */
  async clearJournal(): Promise<void> {
    await this.#call('DELETE', '/journal');
  }

  /** Sets the releases `spec.version` may name. */
  async setVersions(versions: readonly string[]): Promise<void> {
    await this.#call('PUT', '/config', { versions });
  }

  /** Forgets counts so far. */
  async resetRequests(): Promise<void> {
    await this.#call('DELETE', '/requests');
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.#origin}/_emulator${path}`, {
      method,
      headers: { authorization: `Bearer ${this.#token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator admin ${method} ${path}: ${response.status} ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  }
}
