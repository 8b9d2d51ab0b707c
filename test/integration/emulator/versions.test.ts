// [ours] spec.version must be one of the releases the emulator offers (configurable at runtime).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultVersions } from '../../../src/emulator/index.js';
import type { ObservedCluster } from '../../../src/schema/index.js';
import { EmulatorAdmin } from '../../support/emulator-admin.js';
import { clusterSpec, EmulatorSession, token } from './emulator-session.js';

let session: EmulatorSession;
let admin: EmulatorAdmin;
beforeAll(async () => {
  session = await EmulatorSession.start({ transitionMs: 0 });
  admin = new EmulatorAdmin(session.emulator.origin, token);
});
afterAll(() => session.close());
beforeEach(async () => {
  await session.admin('POST', '/reset');
  await admin.setVersions(defaultVersions);
});

const unavailable = (version: string) => ({
  error: { code: 'BadArgument', message: 'Request contains invalid arguments', details: [{ code: 'InvalidValue', target: 'spec.version', message: `Version [${version}] is not available` }] },
});

describe('supported releases', () => {
  it('offers at least the documented default releases', () => {
    expect(defaultVersions).toEqual(expect.arrayContaining(['2021.01', '2021.02', '2022.01', '2023.01', '2024.01', '2025.01']));
    expect(defaultVersions).not.toContain('1999.01');
  });

  it('refuses to create (or dry-run) a cluster with a release it does not offer', async () => {
    for (const path of ['/clusters', '/clusters?dryRun=true']) {
      const res = await session.call('POST', path, { body: { metadata: { name: 'old' }, spec: clusterSpec({ version: '1999.01' }) } });
      expect([path, res.status, res.json]).toEqual([path, 400, unavailable('1999.01')]);
    }
    expect((await session.call('GET', '/clusters')).json).toEqual([]);
  });

  it('refuses a PATCH or PUT to an unavailable release and leaves the cluster unchanged', async () => {
    const uid = await session.clusterIn('c1', 'STARTED');
    const before = await session.get(uid);
    const patch = await session.call('PATCH', `/clusters/${uid}`, { body: { spec: { version: '1999.01' } } });
    expect([patch.status, patch.json]).toEqual([400, unavailable('1999.01')]);
    const put = await session.call('PUT', `/clusters/${uid}`, { body: { metadata: { name: 'c1' }, spec: clusterSpec({ version: '1999.01' }) } });
    expect([put.status, put.json]).toEqual([400, unavailable('1999.01')]);
    const dry = await session.call('PATCH', `/clusters/${uid}?dryRun=true`, { body: { spec: { version: '1999.01' } } });
    expect(dry.status).toBe(400);
    expect(await session.get(uid)).toEqual(before);
  });

  it('applies a changed list to writes from then on, and shows it in the config', async () => {
    const res = await session.admin('PUT', '/config', { body: { versions: ['1999.01', '2021.01'] } });
    expect(res.json).toMatchObject({ versions: ['1999.01', '2021.01'] });
    expect((await session.admin('GET', '/config')).json).toMatchObject({ versions: ['1999.01', '2021.01'] });
    const uid = (await session.create('c1', clusterSpec({ version: '1999.01' }))).metadata.uid;
    const refused = await session.call('PATCH', `/clusters/${uid}`, { body: { spec: { version: '2022.01' } } });
    expect([refused.status, refused.json]).toEqual([400, unavailable('2022.01')]);
    await admin.setVersions(['2022.01']);
    const moved = await session.call('PATCH', `/clusters/${uid}`, { body: { spec: { version: '2022.01' } } });
    expect([moved.status, (moved.json as ObservedCluster).spec.version]).toEqual([202, '2022.01']);
  });

  it('refuses an invalid version list', async () => {
    for (const versions of [[], [''], 'x', [1]]) {
      expect((await session.admin('PUT', '/config', { body: { versions } })).status).toBe(400);
    }
  });

  it('takes the list from the versions option', async () => {
    const other = await EmulatorSession.start({ versions: ['1999.01'] });
    try {
      expect((await other.call('POST', '/clusters', { body: { metadata: { name: 'a' }, spec: clusterSpec({ version: '1999.01' }) } })).status).toBe(202);
      const res = await other.call('POST', '/clusters', { body: { metadata: { name: 'b' }, spec: clusterSpec() } });
      expect([res.status, res.json]).toEqual([400, unavailable('2021.01')]);
    } finally {
      await other.close();
    }
  });
});
