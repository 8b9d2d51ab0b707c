// GET/DELETE /_emulator/journal: the last Manager API requests with their bodies, passwords redacted.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/emulator/index.js';
import { EmulatorAdmin } from '../../support/emulator-admin.js';
import { clusterSpec, EmulatorSession, token } from './emulator-session.js';

let session: EmulatorSession;
let admin: EmulatorAdmin;
beforeAll(async () => {
  session = await EmulatorSession.start({ transitionMs: 0, journalSize: 5 });
  admin = new EmulatorAdmin(session.emulator.origin, token);
});
afterAll(() => session.close());
beforeEach(async () => {
  await session.admin('POST', '/reset');
});

const mysql = { type: 'mysql', host: 'db', port: 3306, database: 'druid', user: 'u' } as const;

describe('request journal', () => {
  it('records a PATCH with its body, the password redacted, and no headers', async () => {
    const uid = await session.clusterIn('c1', 'STARTED');
    const patch = { spec: { metadataStore: { ...mysql, password: 's3cret-pw' } } };
    expect((await session.call('PATCH', `/clusters/${uid}`, { body: patch })).status).toBe(202);
    const [entry, ...others] = await admin.journal('updateCluster');
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ operation: 'updateCluster', method: 'PATCH', path: `/api/v1/clusters/${uid}`, status: 202 });
    expect(entry?.body).toEqual({ spec: { metadataStore: { ...mysql, password: '[redacted]' } } });
    expect(Date.parse(entry?.time ?? '')).not.toBeNaN();
    const text = (await session.admin('GET', '/journal')).text;
    expect(text).not.toContain('s3cret-pw');
    expect(text).not.toContain(token);
  });

  it('lists every API request oldest first with seq, status and query; reads keep no body', async () => {
    await session.call('POST', '/clusters?dryRun=true', { body: { metadata: { name: 'd' }, spec: clusterSpec() } });
    await session.call('GET', '/clusters/nope');
    await session.admin('GET', '/requests'); // admin calls are not journaled
    const entries = await admin.journal();
    expect(entries.map(({ seq, operation, status }) => ({ seq, operation, status }))).toEqual([
      { seq: 1, operation: 'createCluster', status: 200 },
      { seq: 2, operation: 'getCluster', status: 404 },
    ]);
    expect(entries[0]).toMatchObject({ query: 'dryRun=true', body: { metadata: { name: 'd' } } });
    expect(entries[1]).not.toHaveProperty('body');
  });

  it('keeps the body of a write answered before the handler read it (401, injected error)', async () => {
    await session.call('POST', '/clusters', { body: { metadata: { name: 'a' } }, token: null });
    await admin.addFault({ kind: 'error', status: 503, operations: ['createCluster'], count: 1 });
    await session.call('POST', '/clusters', { body: { metadata: { name: 'b' } } });
    expect((await admin.journal()).map((e) => [e.status, e.body])).toEqual([[401, { metadata: { name: 'a' } }], [503, { metadata: { name: 'b' } }]]);
  });

  it('keeps only the most recent journalSize entries', async () => {
    for (let i = 0; i < 7; i++) await session.call('GET', '/clusters');
    expect((await admin.journal()).map((e) => e.seq)).toEqual([3, 4, 5, 6, 7]);
  });

  it('is cleared by DELETE /_emulator/journal and by POST /_emulator/reset', async () => {
    await session.call('GET', '/clusters');
    expect((await session.admin('DELETE', '/journal')).status).toBe(204);
    expect(await admin.journal()).toEqual([]);
    await session.call('GET', '/clusters');
    expect(await admin.journal()).toHaveLength(1);
    await session.admin('POST', '/reset');
    expect((await session.admin('GET', '/journal')).json).toEqual({ entries: [] });
  });

  it('filters by operation and refuses an unknown one', async () => {
    await session.call('GET', '/clusters');
    await session.call('GET', '/clusters/x');
    expect((await admin.journal('listClusters')).map((e: JournalEntry) => e.operation)).toEqual(['listClusters']);
    const res = await session.admin('GET', '/journal?operation=nope');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'BadArgument', details: [{ code: 'InvalidValue', target: 'operation' }] } });
  });
});
