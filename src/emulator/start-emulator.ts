// Starts the Manager API emulator in this process: the programmatic entry point for tests,
// benchmarks and the `dev` command (the `emulator` command is a thin wrapper around it).
import { randomInt } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { adminHandlers } from './admin-handlers.js';
import { apiHandlers } from './api-handlers.js';
import { ClusterStore, type StoreSnapshot } from './cluster-store.js';
import { DataFile, DataFileError } from './data-file.js';
import { EmulatorServer } from './emulator-server.js';
import { FaultInjector } from './fault-injector.js';
import { openApiDocument } from './openapi.js';
import { ReleaseCatalog } from './release-catalog.js';
import { RequestCounter } from './request-counter.js';
import { RequestJournal } from './request-journal.js';
import { apiBasePath, tokenPathPattern } from './route-table.js';
import { tokenHandler } from './token-endpoint.js';
import { TokenAuthority, type OAuthClient } from './token-authority.js';

/** Options of `startEmulator`; every field is optional. */
export interface EmulatorOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Static bearer tokens with the manage-clusters role. Default none. */
  tokens?: readonly string[];
  /** Static bearer tokens without the role (403 on every call). Default none. */
  readonlyTokens?: readonly string[];
  /** OAuth2 clients for the token endpoint. Default none. */
  clients?: readonly OAuthClient[];
  /** Lifetime of issued tokens, in seconds (fractions allowed). Default 300. */
  tokenTtlSeconds?: number;
  /** Length of each transitional state (STARTING, UPDATING, …), in ms; 0 = ends on the next tick. Default 2000. */
  transitionMs?: number;
  /** JSON file that keeps the state across restarts. Default none (in memory). */
  dataFile?: string;
  /** Releases `spec.version` may name (others: 400). Default every monthly release 2021.01–2025.12 (`defaultVersions`). */
  versions?: readonly string[];
  /** Manager API requests kept in the journal (`GET /_emulator/journal`), oldest dropped first. Default 1000. */
  journalSize?: number;
  /** Seed of ids and fault decisions. Default random (logged at start). */
  seed?: number;
  /** Logger; default a pino JSON logger on stdout at `logLevel`. */
  logger?: Logger;
  /** Level of the default logger. Default `silent`. */
  logLevel?: string;
}

/** A running emulator. */
export interface EmulatorHandle {
  /** Base URL of the Manager API, e.g. `http://127.0.0.1:9444/api/v1`. */
  url: string;
  /** Scheme, host and port, e.g. `http://127.0.0.1:9444` (admin API under `/_emulator/`). */
  origin: string;
  /** The OAuth2 token URL (realm `imply`; any realm works). */
  tokenUrl: string;
  /** The bound port. */
  port: number;
  /** The seed in use. */
  seed: number;
  /** Stops accepting, finishes in-flight requests, stops timers and flushes the data file. */
  close(): Promise<void>;
}

/** The emulator's default logger: pino JSON on stdout; no code path logs headers or bodies, redaction is a second line of defence. */
export function emulatorLogger(level: string): Logger {
  return pino({ level, redact: ['req.headers.authorization', '*.password', '*.client_secret'] });
}

/** Starts the emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const logger = options.logger ?? emulatorLogger(options.logLevel ?? 'silent');
  const seed = options.seed ?? randomInt(2 ** 31);
  let dataFile: DataFile<StoreSnapshot> | undefined;
  const persist = async () => {
    if (dataFile !== undefined) await dataFile.save();
  };
  const store = new ClusterStore({
    transitionMs: options.transitionMs ?? 2000,
    seed,
    onChange: () => void persist().catch((err: unknown) => logger.error({ err }, 'cannot save data file')),
  });
  if (options.dataFile !== undefined) {
    dataFile = new DataFile<StoreSnapshot>(options.dataFile, () => store.snapshot());
    const saved = await dataFile.load();
    if (saved !== undefined && saved.format !== 'imply-emulator/v1') throw new DataFileError(`data file ${options.dataFile} has an unknown format`);
    if (saved !== undefined) store.restore(saved);
  }
  const authority = new TokenAuthority({
    tokens: options.tokens ?? [], readonlyTokens: options.readonlyTokens ?? [], clients: options.clients ?? [], tokenTtlSeconds: options.tokenTtlSeconds ?? 300,
  });
  const faults = new FaultInjector(seed);
  const counter = new RequestCounter();
  const journal = new RequestJournal(options.journalSize ?? 1000);
  const releases = new ReleaseCatalog(options.versions);
  const host = options.host ?? '127.0.0.1';
  let origin = '';
  const server = new EmulatorServer({
    handlers: {
      ...apiHandlers({ store, faults, releases, persist }),
      ...adminHandlers({ store, faults, counter, journal, releases, authority, persist }),
      token: tokenHandler(authority),
      getOpenApi: () => ({ status: 200, body: openApiDocument(`${origin}${apiBasePath}`) }),
      health: () => ({ status: 200, body: { status: 'ok' } }),
    },
    authority, faults, counter, journal, logger,
  });
  const address = await server.listen(options.port ?? 0, host);
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const url = `${origin}${apiBasePath}`;
  logger.info({ url, origin, seed, transitionMs: store.transitionMs, dataFile: options.dataFile }, 'emulator listening');
  return {
    url, origin, port: address.port, seed,
    tokenUrl: `${origin}${tokenPathPattern.replace('{realm}', 'imply')}`,
    close: async () => {
      await server.close();
      store.close();
      await persist();
      logger.info('emulator stopped');
    },
  };
}
