// The most recent Manager API requests with their bodies, so tests can assert what a client sent
// ("exactly one PATCH carrying only the changed fields"). Never holds a header or a password.
import { isJsonObject } from './merge-patch.js';

/** One answered (or dropped) Manager API request; body of `GET /_emulator/journal`'s `entries`. */
export interface JournalEntry {
  /** 1, 2, 3, … in arrival order; restarts at 1 when the journal is cleared. */
  seq: number;
  /** When the request arrived, ISO 8601. */
  time: string;
  /** Operation name (`createCluster`, `updateCluster`, …; `unmatched` for a wrong method). */
  operation: string;
  method: string;
  /** URL path without the query. */
  path: string;
  /** Query string without `?` (e.g. `dryRun=true`), when there is one. */
  query?: string;
  /** HTTP status, or `dropped` when a fault destroyed the connection. */
  status: number | 'dropped';
  /** Parsed JSON body of a POST, PUT or PATCH (absent when empty, not JSON or over 1 MiB); every `password` value is `[redacted]`. */
  body?: unknown;
}

/** What the server reports about one request. */
export type JournalRecord = Omit<JournalEntry, 'seq' | 'body'> & { rawBody?: Buffer };

/** Text that replaces a stored password. */
export const redacted = '[redacted]';

/** A ring buffer of the last `capacity` requests. */
export class RequestJournal {
  readonly #capacity: number;
  #entries: JournalEntry[] = [];
  #nextSeq = 1;

  /** `capacity`: entries kept, the oldest dropped first. Default 1000. */
  constructor(capacity = 1000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('journal capacity must be a positive integer');
    this.#capacity = capacity;
  }

  /** Appends one request; its body is parsed and redacted here, the raw bytes are not kept. */
  record(request: JournalRecord): void {
    const { rawBody, ...rest } = request;
    const entry: JournalEntry = { seq: this.#nextSeq++, ...rest };
    const body = rawBody === undefined ? undefined : redactedBodyFrom(rawBody);
    if (body !== undefined) entry.body = body;
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) this.#entries.splice(0, this.#entries.length - this.#capacity);
  }

  /** Entries oldest first, optionally only those of one operation. */
  entries(operation?: string): JournalEntry[] {
    const kept = operation === undefined ? this.#entries : this.#entries.filter((e) => e.operation === operation);
    return structuredClone(kept);
  }

  /** Forgets every entry; `seq` starts again at 1. */
  clear(): void {
    this.#entries = [];
    this.#nextSeq = 1;
  }
}

function redactedBodyFrom(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  redactPasswords(body);
  return body;
}

/** Replaces every `password` member (spec.metadataStore.password, or one misplaced by a bad body); null stays, it is no secret. */
function redactPasswords(node: unknown): void {
  if (Array.isArray(node)) node.forEach(redactPasswords);
  if (!isJsonObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'password' && value !== null) node[key] = redacted;
    else redactPasswords(value);
  }
}
