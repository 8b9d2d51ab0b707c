import { describe, expect, it } from 'vitest';
import { RequestJournal } from '../../../src/emulator/request-journal.js';

const request = (operation: string, rawBody?: unknown) => ({
  time: '2026-01-01T00:00:00.000Z', operation, method: 'PATCH', path: '/api/v1/clusters/u', status: 202,
  ...(rawBody === undefined ? {} : { rawBody: Buffer.from(typeof rawBody === 'string' ? rawBody : JSON.stringify(rawBody)) }),
});

describe('RequestJournal', () => {
  it('redacts every password value but keeps a null one (it removes the password)', () => {
    const journal = new RequestJournal();
    journal.record(request('updateCluster', { spec: { metadataStore: { type: 'mysql', password: 'pw' } } }));
    journal.record(request('updateCluster', { spec: { metadataStore: { password: null } } }));
    journal.record(request('createCluster', { spec: { password: 'misplaced', tiers: [{ password: 'x' }] } }));
    expect(journal.entries().map((e) => e.body)).toEqual([
      { spec: { metadataStore: { type: 'mysql', password: '[redacted]' } } },
      { spec: { metadataStore: { password: null } } },
      { spec: { password: '[redacted]', tiers: [{ password: '[redacted]' }] } },
    ]);
  });

  it('keeps no body that is empty or not JSON (it could hold a secret it cannot redact)', () => {
    const journal = new RequestJournal();
    journal.record(request('updateCluster', '{"spec":{"metadataStore":{"password":"pw"'));
    journal.record(request('updateCluster', ''));
    expect(journal.entries().map((e) => 'body' in e)).toEqual([false, false]);
  });

  it('is a ring buffer; filters by operation; clear restarts seq', () => {
    const journal = new RequestJournal(2);
    for (const op of ['a', 'b', 'a']) journal.record(request(op));
    expect(journal.entries().map((e) => [e.seq, e.operation])).toEqual([[2, 'b'], [3, 'a']]);
    expect(journal.entries('a').map((e) => e.seq)).toEqual([3]);
    journal.clear();
    journal.record(request('c'));
    expect(journal.entries().map((e) => e.seq)).toEqual([1]);
  });

  it('hands out copies', () => {
    const journal = new RequestJournal();
    journal.record(request('updateCluster', { spec: {} }));
    (journal.entries()[0]?.body as { spec: { x?: number } }).spec.x = 1;
    expect(journal.entries()[0]?.body).toEqual({ spec: {} });
  });
});
