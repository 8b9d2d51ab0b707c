// `imply-operator emulator`: runs the Manager API emulator until SIGTERM or SIGINT.
import { rename, writeFile } from 'node:fs/promises';
import { pino } from 'pino';
import { intFlag, listFlag, stringFlag, UsageError, type Command, type FlagValues } from '../cli/command-line.js';
import { emulatorLogger, startEmulator, type EmulatorOptions } from './start-emulator.js';
import type { OAuthClient } from './token-authority.js';

const env = (name: string) => `IMPLY_EMULATOR_${name}`;

/** The `emulator` subcommand. */
export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'Run the Imply Cloud Manager API emulator (local development, CI, demos)',
  flags: [
    { name: 'host', env: env('HOST'), type: 'string', default: '127.0.0.1', description: 'interface to listen on' },
    { name: 'port', env: env('PORT'), type: 'string', default: '9444', description: 'TCP port; 0 picks a free one (see --url-file)' },
    { name: 'token', env: env('TOKEN'), type: 'string', multiple: true, description: 'static bearer token with the manage-clusters role' },
    { name: 'readonly-token', env: env('READONLY_TOKEN'), type: 'string', multiple: true, description: 'static bearer token without the role (403 on every call)' },
    { name: 'client', env: env('CLIENT'), type: 'string', multiple: true, description: 'OAuth2 client id:secret for the token endpoint' },
    { name: 'token-ttl', env: env('TOKEN_TTL'), type: 'string', default: '300', description: 'lifetime of issued tokens, in seconds' },
    { name: 'transition-ms', env: env('TRANSITION_MS'), type: 'string', default: '2000', description: 'length of each transitional state, in ms (0 = next tick)' },
    { name: 'data-file', env: env('DATA_FILE'), type: 'string', description: 'JSON file that keeps clusters across restarts (default: in memory)' },
    { name: 'versions', env: env('VERSIONS'), type: 'string', description: 'comma-separated releases spec.version may name (default: every monthly release 2021.01-2025.12)' },
    { name: 'journal-size', env: env('JOURNAL_SIZE'), type: 'string', default: '1000', description: 'Manager API requests kept in the journal (GET /_emulator/journal)' },
    { name: 'seed', env: env('SEED'), type: 'string', description: 'seed of ids and fault decisions (default: random, logged)' },
    { name: 'url-file', env: env('URL_FILE'), type: 'string', description: 'write the API base URL to this file once listening' },
    { name: 'log-level', env: env('LOG_LEVEL'), type: 'string', default: 'info', description: 'pino log level (trace, debug, info, warn, error, silent)' },
  ],
  async run(values) {
    const options = optionsFrom(values);
    const emulator = await startEmulator(options);
    const urlFile = stringFlag(values, 'url-file');
    if (urlFile !== undefined) {
      // Written whole, then renamed: a reader polling for the file never sees it half-written.
      await writeFile(`${urlFile}.tmp`, `${emulator.url}\n`);
      await rename(`${urlFile}.tmp`, urlFile);
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        resolve();
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    await emulator.close();
  },
};

function optionsFrom(values: FlagValues): EmulatorOptions {
  const level = stringFlag(values, 'log-level') ?? 'info';
  if (level !== 'silent' && !(level in pino.levels.values)) throw new UsageError(`--log-level must be one of trace, debug, info, warn, error, fatal, silent; got ${JSON.stringify(level)}`);
  const logger = emulatorLogger(level);
  const options: EmulatorOptions = {
    host: stringFlag(values, 'host') ?? '127.0.0.1',
    port: portFrom(values),
    tokens: listFlag(values, 'token'),
    readonlyTokens: listFlag(values, 'readonly-token'),
    clients: listFlag(values, 'client').map(clientFrom),
    tokenTtlSeconds: positive(intFlag(values, 'token-ttl') ?? 300, 'token-ttl'),
    transitionMs: intFlag(values, 'transition-ms') ?? 2000,
    journalSize: positive(intFlag(values, 'journal-size') ?? 1000, 'journal-size'),
    logger,
  };
  const versions = versionsFrom(values);
  if (versions !== undefined) options.versions = versions;
  const dataFile = stringFlag(values, 'data-file');
  if (dataFile !== undefined) options.dataFile = dataFile;
  const seed = intFlag(values, 'seed');
  if (seed !== undefined) options.seed = seed;
  if (options.tokens?.length === 0 && options.clients?.length === 0) {
    logger.warn('no --token or --client given: every API call will be answered 401');
  }
  return options;
}

function versionsFrom(values: FlagValues): string[] | undefined {
  const raw = stringFlag(values, 'versions');
  if (raw === undefined) return undefined;
  const versions = raw.split(',').map((v) => v.trim()).filter((v) => v !== '');
  if (versions.length === 0) throw new UsageError('--versions must name at least one release');
  return versions;
}

function portFrom(values: FlagValues): number {
  const port = intFlag(values, 'port') ?? 9444;
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  return port;
}

function positive(n: number, name: string): number {
  if (n === 0) throw new UsageError(`--${name} must be positive`);
  return n;
}

function clientFrom(raw: string): OAuthClient {
  const colon = raw.indexOf(':');
  if (colon <= 0 || colon === raw.length - 1) throw new UsageError('--client must be id:secret');
  return { id: raw.slice(0, colon), secret: raw.slice(colon + 1) };
}
