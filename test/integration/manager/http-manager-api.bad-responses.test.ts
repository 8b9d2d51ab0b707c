// Responses the emulator never sends: a tiny node:http server answers malformed and contract-violating
// bodies; it also counts connections, to show that Node's global fetch keeps them alive.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticTokenAuth } from '../../../src/manager/auth/static-token-auth.js';
import { HttpManagerApi } from '../../../src/manager/http-manager-api.js';
import { aSpec, anObservedCluster } from '../../support/cluster-builders.js';

const good = anObservedCluster(aSpec());
const bodies: Record<string, string> = {
  '/api/v1/clusters/good': JSON.stringify(good),
  '/api/v1/clusters/extra': JSON.stringify({ ...good, spec: { ...good.spec, futureOption: { on: true } } }),
  '/api/v1/clusters/malformed': '{"metadata": {"name": "clicks"',
  '/api/v1/clusters/violating': JSON.stringify({ ...good, status: { state: 'STARTED', resourceVersion: 'one' } }),
  '/api/v1/clusters/html': '<html>gateway</html>',
};

let server: Server;
let baseUrl: string;
let connections = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = bodies[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NotFound","message":"no"}}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const api = () => new HttpManagerApi({ baseUrl, auth: new StaticTokenAuth('bad-responses-token') });

describe('HttpManagerApi and responses outside the contract', () => {
  it('rejects a malformed JSON body with InvalidResponse', async () => {
    await expect(api().getCluster('malformed')).rejects.toMatchObject({ code: 'InvalidResponse', status: 200 });
    await expect(api().getCluster('html')).rejects.toMatchObject({ code: 'InvalidResponse' });
  });

  it('rejects a schema-violating body with InvalidResponse naming the field', async () => {
    const error: unknown = await api().getCluster('violating').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidResponse', field: 'status.resourceVersion' });
    expect((error as Error).message).toContain('status.resourceVersion');
  });

  it('keeps unknown fields of a valid body', async () => {
    expect((await api().getCluster('extra'))?.spec).toHaveProperty('futureOption', { on: true });
  });

  it('reuses one connection for sequential requests (keep-alive)', async () => {
    const client = api();
    await client.getCluster('good');
    const before = connections;
    for (let i = 0; i < 5; i++) await client.getCluster('good');
    expect(connections).toBe(before);
  });
});
