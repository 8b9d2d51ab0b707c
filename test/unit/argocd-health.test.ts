// The Argo CD health check in deploy/argocd/, run by a real Lua 5.1 interpreter the way Argo CD runs
// it: every case of health_test.yaml (Argo CD's own test format), the controller's real conditions
// from statusFor, and the argocd-cm snippet holding health.lua verbatim. lua5.1 is a subprocess, not
// a network service; CI installs the Debian package (.ci/run). Without it these tests fail, on purpose.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { statusFor, type Outcome } from '../../src/implycluster/status-for.js';
import type { ClusterState } from '../../src/schema/index.js';
import { aSpec, anObservedCluster } from '../support/cluster-builders.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const checkDir = join(root, 'deploy', 'argocd', 'cloud.imply.io', 'ImplyCluster');
const healthLua = readFileSync(join(checkDir, 'health.lua'), 'utf8');
const configMapKey = 'resource.customizations.health.cloud.imply.io_ImplyCluster';
const healthStatuses = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface HealthStatus {
  status: string;
  message: string;
}
interface HealthTestCase {
  healthStatus: HealthStatus;
  inputPath: string;
}

/** A Lua 5.1 string literal for `s`: every byte outside printable ASCII as a decimal escape. */
function luaString(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (byte >= 0x20 && byte < 0x7f) out += ch;
    else out += `\\${byte.toString().padStart(3, '0')}`;
  }
  return `${out}"`;
}

/**
 * A Lua table constructor for a JSON value, shaped as Argo CD hands `obj` to a health check
 * (objects keyed by string, arrays from index 1, null as nil).
 */
function luaLiteral(value: Json): string {
  if (value === null) return 'nil';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`no Lua literal for ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return luaString(value);
  if (Array.isArray(value)) return `{${value.map(luaLiteral).join(', ')}}`;
  const fields = Object.entries(value)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `[${luaString(k)}] = ${luaLiteral(v)}`);
  return `{${fields.join(', ')}}`;
}

// Runs the check as Argo CD does: `obj` global, the chunk's return value is the health. The chunk
// gets only what Argo CD's VM opens (base, table, os.time/os.date; no string or math library, no
// string methods), and reading or writing an undefined global is an error, so a typo cannot pass
// here and fail in Argo CD. Prints status and message as JSON strings on two lines.
const wrapper = (objLiteral: string, chunk: string) => `
local format, byte, gsub = string.format, string.byte, string.gsub
local function json(s)
  if type(s) ~= "string" then return "null" end
  return '"' .. gsub(s, '[%c"\\\\]', function(c) return format("\\\\u%04x", byte(c)) end) .. '"'
end
local env = {
  obj = ${objLiteral},
  assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall,
  rawequal = rawequal, rawget = rawget, select = select, tonumber = tonumber, tostring = tostring,
  type = type, unpack = unpack,
  table = table, os = { time = os.time, date = os.date },
}
setmetatable(env, {
  __index = function(_, k) error("undefined global " .. tostring(k), 2) end,
  __newindex = function(_, k) error("assignment to global " .. tostring(k) .. " (use local)", 2) end,
})
local check = setfenv(function()
${chunk}
end, env)
getmetatable("").__index = nil
local hs = check()
getmetatable("").__index = string
if type(hs) ~= "table" then error("health.lua returned " .. type(hs) .. ", not a table") end
print(json(hs.status))
print(json(hs.message))
`;

function runLua(script: string): string {
  const run = spawnSync('lua5.1', ['-'], { input: script, encoding: 'utf8', timeout: 10_000 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`lua5.1 exited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

function healthOf(obj: Json): HealthStatus {
  const [status, message] = runLua(wrapper(luaLiteral(obj), healthLua)).trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
  return { status: String(status), message: String(message) };
}

beforeAll(() => {
  try {
    execFileSync('lua5.1', ['-v'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      'lua5.1 is required to test deploy/argocd/**/health.lua and was not found on PATH ' +
        `(${(error as Error).message}). Install the Debian package: apt-get install -y lua5.1 (.ci/run does).`,
    );
  }
});

describe('luaLiteral', () => {
  it('round-trips awkward strings through Lua', () => {
    const strings = ['plain', 'quote " and \\ backslash', 'new\nline\ttab\r', ']]==]', 'naïve ✓ 日本', ''];
    for (const s of strings) {
      const out = runLua(`io.write(${luaString(s)})`);
      expect(out).toBe(s);
    }
  });

  it('builds tables Lua reads back as objects and 1-based arrays', () => {
    const script = `local t = ${luaLiteral({ a: [1, 'two', true], 'b.c': { d: 2.5 }, n: null })}
io.write(#t.a, " ", t.a[2], " ", tostring(t.a[3]), " ", t["b.c"].d, " ", tostring(t.n))`;
    expect(runLua(script)).toBe('3 two true 2.5 nil');
  });
});

describe('the Argo CD-like sandbox', () => {
  it.each([
    ['the string library (Argo CD does not open it)', 'return { status = string.upper("healthy"), message = "" }', /undefined global string/],
    ['string methods (no string library, no methods)', 'local s = "Healthy"; return { status = s:sub(1), message = "" }', /attempt to index/],
    ['the math library (Argo CD does not open it)', 'return { status = "Healthy", message = tostring(math.floor(1)) }', /undefined global math/],
    ['assigning a global (our rule: locals only, so a typo cannot hide)', 'hs = { status = "Healthy", message = "" }; return hs', /assignment to global hs/],
  ])('rejects %s', (_what, chunk, error) => {
    expect(() => runLua(wrapper('{}', chunk))).toThrow(error);
  });
});

describe('health.lua against health_test.yaml', () => {
  const suite = parse(readFileSync(join(checkDir, 'health_test.yaml'), 'utf8')) as { tests: HealthTestCase[] };

  it('lists every testdata file exactly once, with Argo CD health codes', () => {
    const listed = suite.tests.map((t) => t.inputPath).sort();
    const present = readdirSync(join(checkDir, 'testdata')).map((f) => `testdata/${f}`).sort();
    expect(listed).toEqual(present);
    for (const t of suite.tests) expect(healthStatuses).toContain(t.healthStatus.status);
  });

  it.each(suite.tests.map((t) => [t.inputPath, t] as const))('%s', (_path, t) => {
    const obj = parse(readFileSync(join(checkDir, t.inputPath), 'utf8')) as Json;
    expect(healthOf(obj)).toEqual(t.healthStatus);
  });
});

describe('health.lua against the conditions the controller writes', () => {
  const cluster = (state: ClusterState, resourceVersion = 2) => anObservedCluster(aSpec(), state, resourceVersion);
  const badArgument = { reason: 'BadArgument', message: 'Imply API rejected the spec: spec.x: bad', isStalled: true };
  const unavailable = { reason: 'ApiUnavailable', message: 'Imply API is unavailable', isStalled: false };
  const unauthorized = { reason: 'Unauthorized', message: "The account's credentials were refused", isStalled: true };
  const noAccount = { reason: 'AccountNotFound', message: 'ImplyAccount acme not found', isStalled: false };

  /** [name, outcome, desiredState, paused annotation, expected Argo CD health] */
  const table: [string, Omit<Outcome, 'generation'>, 'STARTED' | 'STOPPED', boolean, string][] = [
    ['running and matching', { cluster: cluster('STARTED'), plan: 'none' }, 'STARTED', false, 'Healthy'],
    ['stopped as asked', { cluster: cluster('STOPPED'), plan: 'none' }, 'STOPPED', false, 'Healthy'],
    ['just created', { plan: 'create' }, 'STARTED', false, 'Progressing'],
    ['first start', { cluster: cluster('STARTING', 1), plan: 'wait' }, 'STARTED', false, 'Progressing'],
    ['updating', { cluster: cluster('UPDATING'), plan: 'wait' }, 'STARTED', false, 'Progressing'],
    ['stop pending', { cluster: cluster('STARTED'), plan: 'stop' }, 'STOPPED', false, 'Progressing'],
    ['terminating', { cluster: cluster('TERMINATING'), plan: 'wait' }, 'STARTED', false, 'Progressing'],
    ['failed, nothing to change', { cluster: cluster('FAILED'), plan: 'none' }, 'STARTED', false, 'Degraded'],
    ['failed, change pending', { cluster: cluster('FAILED'), plan: 'update' }, 'STARTED', false, 'Degraded'],
    ['busy (409)', { cluster: cluster('STARTED'), plan: 'update', isBusy: true }, 'STARTED', false, 'Progressing'],
    ['spec rejected (400)', { cluster: cluster('STARTED'), plan: 'update', failure: badArgument }, 'STARTED', false, 'Degraded'],
    ['credentials refused', { failure: unauthorized }, 'STARTED', false, 'Degraded'],
    ['account missing', { failure: noAccount }, 'STARTED', false, 'Degraded'],
    ['API down before observing', { failure: unavailable }, 'STARTED', false, 'Progressing'],
    ['API down after observing', { cluster: cluster('STARTED'), plan: 'none', failure: unavailable }, 'STARTED', false, 'Healthy'],
    ['recorded cluster gone', { isNotFound: true }, 'STARTED', false, 'Degraded'],
    ['paused with a change pending', { cluster: cluster('STARTED'), plan: 'update', isPaused: true }, 'STARTED', true, 'Suspended'],
    ['paused and matching', { cluster: cluster('STARTED'), plan: 'none', isPaused: true }, 'STARTED', true, 'Suspended'],
  ];

  it.each(table)('%s', (_name, outcome, desiredState, paused, expected) => {
    const conditions = statusFor({ generation: 3, ...outcome }).map((c) => ({ ...c, lastTransitionTime: '2024-05-02T09:20:41Z' }));
    const obj = {
      apiVersion: 'cloud.imply.io/v1alpha1',
      kind: 'ImplyCluster',
      metadata: { name: 'clicks', namespace: 'analytics', generation: 3, annotations: paused ? { 'cloud.imply.io/paused': 'true' } : {} },
      spec: { cluster: { desiredState } },
      status: { observedGeneration: 3, conditions },
    } as unknown as Json;
    const health = healthOf(obj);
    expect(health.status).toBe(expected);
    expect(health.message).not.toBe('');
  });
});

describe('deploy/argocd/argocd-cm.yaml', () => {
  it(`holds health.lua verbatim under data["${configMapKey}"]`, () => {
    const cm = parse(readFileSync(join(root, 'deploy', 'argocd', 'argocd-cm.yaml'), 'utf8')) as {
      kind?: string;
      metadata?: { name?: string };
      data?: Record<string, string>;
    };
    expect(cm.kind).toBe('ConfigMap');
    expect(cm.metadata?.name).toBe('argocd-cm');
    expect(
      cm.data?.[configMapKey],
      'argocd-cm.yaml drifted from health.lua: regenerate it with the command in deploy/argocd/README.md ("Changing the check")',
    ).toBe(healthLua);
  });
});
