import { parseArgs } from 'node:util';
import { durationMsFrom } from '../controller/duration.js';

/** One command-line flag with its environment-variable equivalent. */
export interface FlagSpec {
  /** Long name without dashes, e.g. `port`. */
  name: string;
  /** Environment variable consulted when the flag is absent, e.g. `IMPLY_EMULATOR_PORT`. */
  env?: string;
  type: 'string' | 'boolean';
  /** Repeatable flag; the env variable then holds a comma-separated list. */
  multiple?: boolean;
  /** Default shown in --help and used when neither flag nor env is set. */
  default?: string;
  description: string;
}

/** A subcommand of `imply-operator`. */
export interface Command {
  name: string;
  summary: string;
  flags: FlagSpec[];
  /** Runs the command; resolves when it has finished (servers: after shutdown). */
  run(values: FlagValues): Promise<void>;
}

/** Parsed flag values: strings, booleans, or string lists for repeatable flags. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** A command line the user got wrong; the CLI prints it with usage and exits 2. */
export class UsageError extends Error {
  readonly code = 'Usage';
}

/** Parses argv for one command: flag, else environment variable, else default. */
export function parseFlags(command: Command, argv: string[], env: NodeJS.ProcessEnv): FlagValues {
  const options = Object.fromEntries(
    command.flags.map((f) => [f.name, { type: f.type, multiple: f.multiple ?? false }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: false, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values: FlagValues = {};
  for (const flag of command.flags) {
    const given = parsed.values[flag.name] as string | boolean | string[] | undefined;
    values[flag.name] = given ?? fromEnv(flag, env) ?? defaultOf(flag);
  }
  return values;
}

function fromEnv(flag: FlagSpec, env: NodeJS.ProcessEnv): string | boolean | string[] | undefined {
  const raw = flag.env === undefined ? undefined : env[flag.env];
  if (raw === undefined || raw === '') return undefined;
  if (flag.type === 'boolean') return raw === 'true' || raw === '1';
  return flag.multiple ? raw.split(',').map((s) => s.trim()).filter(Boolean) : raw;
}

function defaultOf(flag: FlagSpec): string | boolean | string[] | undefined {
  if (flag.default === undefined) return flag.type === 'boolean' ? false : flag.multiple ? [] : undefined;
  if (flag.type === 'boolean') return flag.default === 'true';
  return flag.multiple ? [flag.default] : flag.default;
}

/** The --help text of one command. */
export function helpFor(command: Command): string {
  const lines = [`Usage: imply-operator ${command.name} [flags]`, '', command.summary, '', 'Flags:'];
  for (const f of command.flags) {
    const name = f.type === 'string' ? `--${f.name} <value>` : `--${f.name}`;
    const extras = [
      f.multiple ? 'repeatable' : undefined,
      f.env ? `env ${f.env}` : undefined,
      f.default !== undefined ? `default ${f.default}` : undefined,
    ].filter(Boolean);
    lines.push(`  ${name.padEnd(28)} ${f.description}${extras.length ? ` (${extras.join('; ')})` : ''}`);
  }
  lines.push(`  ${'--help'.padEnd(28)} show this help`);
  return lines.join('\n');
}

/** Reads a string flag as a non-negative integer, or fails with a usage error naming it. */
export function intFlag(values: FlagValues, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < 0) {
    throw new UsageError(`--${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** Reads a string flag, or undefined. */
export function stringFlag(values: FlagValues, name: string): string | undefined {
  const raw = values[name];
  return typeof raw === 'string' ? raw : undefined;
}

/** Reads a repeatable flag as a list. */
export function listFlag(values: FlagValues, name: string): string[] {
  const raw = values[name];
  return Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
}

/** Reads a duration flag (`500ms`, `5s`, `5m`, `1h`) in milliseconds, or fails with a usage error naming it. */
export function durationFlag(values: FlagValues, name: string): number {
  const text = stringFlag(values, name);
  const ms = durationMsFrom(text);
  if (ms === undefined) throw new UsageError(`--${name} must be a duration such as 500ms, 5s, 5m or 1h, got ${JSON.stringify(text)}`);
  return ms;
}
