// examples/ as a user applies them, with kubectl: every manifest passes the CRD schemas of a real
// kube-apiserver, and, against the emulator, the controller brings every example cluster to Ready.
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { resolveKubeBinaries } from '../../src/kube/binaries/kube-binaries.js';
import { freshNamespace, kubeconfigPath } from '../support/kube.js';
import { OperatorStack } from '../support/operator-stack.js';

const run = promisify(execFile);
const examplesDir = join(import.meta.dirname, '..', '..', 'examples');
const files = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml')).sort();
const clusterFiles = files.filter((f) => f.endsWith('-cluster.yaml'));
/** The token examples/account.yaml puts in its credentials Secret. */
const exampleToken = 'dev-token';

interface Manifest {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
}

const manifestsOf = (file: string): Manifest[] =>
  parseAllDocuments(readFileSync(join(examplesDir, file), 'utf8')).map((d) => d.toJS() as Manifest);

async function kubectl(args: string[], input?: string): Promise<string> {
  const { kubectl: bin } = await resolveKubeBinaries();
  const child = run(bin, ['--kubeconfig', kubeconfigPath(), ...args]);
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return (await child).stdout;
}

let stack: OperatorStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('examples/', () => {
  it('has the account, a small, an HA and a stopped cluster', () => {
    expect(files).toEqual(['account.yaml', 'ha-cluster.yaml', 'small-cluster.yaml', 'stopped-cluster.yaml']);
  });

  it.each(files)('%s passes server-side dry run and is created by kubectl apply', async (file) => {
    const namespace = await freshNamespace(`example-${file.replace('.yaml', '')}`);
    const path = join(examplesDir, file);
    await kubectl(['apply', '--dry-run=server', '-n', namespace, '-f', path]);
    const out = await kubectl(['apply', '-n', namespace, '-f', path]);
    for (const manifest of manifestsOf(file)) expect(out).toContain(`${manifest.metadata.name} created`);
  });

  it('brings every example cluster to Ready through the example account', async () => {
    const s = await OperatorStack.start({ prefix: 'examples', emulator: { tokens: [exampleToken] }, withoutController: true });
    stack = s;
    // The emulator takes only the example's token, so Ready proves the example Secret was used. The
    // example account and Secret replace the stack's; the URL points at this run's emulator instead
    // of `imply-operator dev`'s fixed port.
    const account = manifestsOf('account.yaml').map((m) => (m.kind === 'ImplyAccount' ? { ...m, spec: { ...m.spec, url: s.emulator.url } } : m));
    await kubectl(['apply', '-n', s.namespace, '-f', '-'], account.map((m) => stringify(m)).join('---\n'));
    for (const file of clusterFiles) await kubectl(['apply', '-n', s.namespace, '-f', join(examplesDir, file)]);
    s.startController();
    const names = clusterFiles.flatMap((f) => manifestsOf(f).filter((m) => m.kind === 'ImplyCluster').map((m) => m.metadata.name));
    const ready = await Promise.all(names.map((name) => s.waitForCondition(name, 'Ready', 'True', undefined, 90_000)));
    expect(Object.fromEntries(ready.map((c) => [c.metadata.name, c.status?.state]))).toEqual({ 'clicks-prod': 'STARTED', small: 'STARTED', staging: 'STOPPED' });
    const ha = ready.find((c) => c.metadata.name === 'clicks-prod');
    expect(ha?.status?.servers?.byType).toMatchObject({ MASTER: 3, QUERY: 3, DATA: 10 });
  });
});
