// A strict parser of the Prometheus text exposition format (version 0.0.4), for tests that scrape a
// real /metrics endpoint: every line must be a HELP or TYPE comment, a sample of the family last
// declared, or empty; anything else throws with the line number. It also checks what a scraper
// relies on: one HELP and one TYPE per family, before its samples; families not interleaved; no
// duplicate series; histogram buckets cumulative with a +Inf bucket equal to _count.

/** Metric types of `# TYPE`. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** One sample: full sample name (e.g. `x_bucket`), labels, value and optional timestamp. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

/** One metric family: its HELP, TYPE and samples in order. */
export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

/** A parsed exposition, by family name. */
export class Exposition {
  constructor(readonly families: ReadonlyMap<string, MetricFamily>) {}

  /** Every sample of every family. */
  samples(): Sample[] {
    return [...this.families.values()].flatMap((f) => f.samples);
  }

  /** The family `name`; throws when absent. */
  family(name: string): MetricFamily {
    const family = this.families.get(name);
    if (family === undefined) throw new Error(`no metric family ${name}`);
    return family;
  }

  /** The value of the one sample named `name` whose labels include `labels`; undefined when none; throws when several match. */
  value(name: string, labels: Record<string, string> = {}): number | undefined {
    const found = this.samples().filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    if (found.length > 1) throw new Error(`${found.length} samples match ${name} ${JSON.stringify(labels)}`);
    return found[0]?.value;
  }

  /** Sum of the samples named `name` whose labels include `labels` (0 when none). */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.samples()
      .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((total, s) => total + s.value, 0);
  }
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const types: readonly string[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

/** Parses `text` strictly; throws `line N: …` on the first violation. */
export function parsePrometheusText(text: string): Exposition {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, MetricFamily>();
  const helps = new Map<string, string>();
  const closed = new Set<string>();
  const series = new Set<string>();
  let currentName: string | undefined;
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    // HELP and TYPE of one family, then its samples; once another family starts, it is closed.
    const enter = (name: string) => {
      if (name === currentName) return;
      if (closed.has(name)) fail('family interleaved with another');
      if (currentName !== undefined) closed.add(currentName);
      currentName = name;
    };
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const comment = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (comment === null) return; // other comments are allowed and ignored
      const [, keyword, name = '', rest = ''] = comment;
      if (!metricName.test(name)) fail('bad metric name');
      enter(name);
      const family = families.get(name);
      if (keyword === 'HELP') {
        if (helps.has(name)) fail('second HELP');
        if (family !== undefined && family.samples.length > 0) fail('HELP after samples');
        const help = unescapeText(rest, false, fail);
        helps.set(name, help);
        if (family !== undefined) family.help = help;
        return;
      }
      if (!types.includes(rest)) fail('unknown TYPE');
      if (family !== undefined) fail('second TYPE');
      families.set(name, { name, help: helps.get(name) ?? '', type: rest as MetricType, samples: [] });
      return;
    }
    const sample = sampleFrom(line, fail);
    const family = currentName === undefined ? undefined : families.get(currentName);
    if (family === undefined || !belongsTo(sample.name, family)) return fail('sample outside its declared family (no TYPE line before it)');
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
    if (series.has(key)) fail('duplicate series');
    series.add(key);
    if ((family.type === 'counter' || sample.name.endsWith('_count') || sample.name.endsWith('_bucket')) && !(sample.value >= 0)) fail('negative or NaN counter');
    family.samples.push(sample);
  });
  for (const family of families.values()) {
    if (!helps.has(family.name)) throw new Error(`family ${family.name} has no HELP`);
    if (family.type === 'histogram') checkHistogram(family);
  }
  return new Exposition(families);
}

function belongsTo(sampleName: string, family: MetricFamily): boolean {
  if (sampleName === family.name) return family.type !== 'histogram';
  const suffix = sampleName.startsWith(family.name) ? sampleName.slice(family.name.length) : undefined;
  if (family.type === 'histogram') return suffix === '_bucket' || suffix === '_sum' || suffix === '_count';
  if (family.type === 'summary') return suffix === '_sum' || suffix === '_count';
  return false;
}

function sampleFrom(line: string, fail: (why: string) => never): Sample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (nameMatch === null) fail('not a sample line');
  const name = nameMatch[0];
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at++;
    for (;;) {
      if (line[at] === '}') {
        at++;
        break;
      }
      const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"/.exec(line.slice(at));
      if (label === null) fail(`bad label at column ${at + 1}`);
      const [whole, key = '', raw = ''] = label;
      if (!labelName.test(key) || key.startsWith('__')) fail(`bad label name ${key}`);
      if (key in labels) fail(`repeated label ${key}`);
      labels[key] = unescapeText(raw, true, fail);
      at += whole.length;
      if (line[at] === ',') at++;
      else if (line[at] !== '}') fail(`expected , or } at column ${at + 1}`);
    }
  }
  const rest = /^ (\S+)(?: (-?\d+))?$/.exec(line.slice(at));
  if (rest === null) fail('expected " value [timestamp]" after the name and labels');
  const value = valueFrom(rest[1] ?? '', fail);
  const sample: Sample = { name, labels, value };
  if (rest[2] !== undefined) sample.timestampMs = Number(rest[2]);
  return sample;
}

function valueFrom(text: string, fail: (why: string) => never): number {
  // Prometheus reads values with Go's ParseFloat: Inf and NaN in any case (prom-client writes `Nan`).
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) fail(`bad value ${text}`);
  return Number(text);
}

// HELP text escapes \\ and \n; label values also \".
function unescapeText(text: string, isLabelValue: boolean, fail: (why: string) => never): string {
  return text.replace(/\\(.?)/g, (_, c: string) => {
    if (c === 'n') return '\n';
    if (c === '\\') return '\\';
    if (c === '"' && isLabelValue) return '"';
    return fail(`bad escape \\${c}`);
  });
}

function checkHistogram(family: MetricFamily): void {
  const groups = new Map<string, { buckets: { le: number; value: number }[]; count?: number; hasSum: boolean }>();
  const groupOf = (labels: Record<string, string>) => {
    const rest = Object.entries(labels).filter(([k]) => k !== 'le').sort(([a], [b]) => (a < b ? -1 : 1));
    const key = JSON.stringify(rest);
    let group = groups.get(key);
    if (group === undefined) {
      group = { buckets: [], hasSum: false };
      groups.set(key, group);
    }
    return group;
  };
  for (const sample of family.samples) {
    const group = groupOf(sample.labels);
    if (sample.name.endsWith('_bucket')) {
      const le = sample.labels['le'];
      if (le === undefined) throw new Error(`${family.name}: bucket without le`);
      group.buckets.push({ le: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), value: sample.value });
    } else if (sample.name.endsWith('_count')) group.count = sample.value;
    else group.hasSum = true;
  }
  for (const [labels, group] of groups) {
    const where = `${family.name}${labels}`;
    const last = group.buckets.at(-1);
    if (last === undefined || last.le !== Number.POSITIVE_INFINITY) throw new Error(`${where}: no +Inf bucket last`);
    if (group.count === undefined || !group.hasSum) throw new Error(`${where}: _count or _sum missing`);
    if (last.value !== group.count) throw new Error(`${where}: +Inf bucket ${last.value} != _count ${group.count}`);
    for (let i = 1; i < group.buckets.length; i++) {
      const [before, after] = [group.buckets[i - 1], group.buckets[i]];
      if (before === undefined || after === undefined) continue;
      if (!(after.le > before.le)) throw new Error(`${where}: le not increasing`);
      if (after.value < before.value) throw new Error(`${where}: buckets not cumulative`);
    }
  }
}

/** GETs `${baseUrl}/metrics` and parses it strictly; throws unless 200 with the Prometheus text content type. */
export async function scrapeMetrics(baseUrl: string): Promise<Exposition> {
  const response = await fetch(`${baseUrl}/metrics`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${baseUrl}/metrics: ${response.status} ${text}`);
  const contentType = response.headers.get('content-type') ?? '';
  if (!/^text\/plain; version=0\.0\.4/.test(contentType)) throw new Error(`GET ${baseUrl}/metrics: content-type ${contentType}`);
  return parsePrometheusText(text);
}
