// Property-based tests: any invalid body gets a well-formed 400, any valid one round-trips.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVersions } from '../../../src/emulator/index.js';
import { withDefaults, type ClusterSpec, type ErrorBody, type ObservedCluster } from '../../../src/schema/index.js';
import { clusterSpec, EmulatorSession } from './emulator-session.js';

let session: EmulatorSession;
beforeAll(async () => {
  session = await EmulatorSession.start({ transitionMs: 0 });
});
afterAll(() => session.close());

const nameValues = fc.uniqueArray(fc.record({ name: fc.string({ minLength: 1, maxLength: 8 }), value: fc.string({ maxLength: 8 }) }), { selector: (nv) => nv.name, maxLength: 3 });
const instanceType = fc.constantFrom('m5.large', 'm5.xlarge', 'i3.xlarge');
const tier = fc.record({ name: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/), replicas: fc.integer({ min: 0, max: 5 }), instanceType });

const validSpec: fc.Arbitrary<ClusterSpec> = fc.record(
  {
    version: fc.constantFrom(...defaultVersions),
    desiredState: fc.constantFrom('STARTED' as const, 'STOPPED' as const),
    awsInstanceRole: fc.string({ minLength: 1, maxLength: 20 }),
    awsKeyPair: fc.string({ maxLength: 10 }),
    awsTags: nameValues,
    encryptVolumes: fc.boolean(),
    commonRuntimeProperties: nameValues,
    master: fc.record({ replicas: fc.integer({ min: 1, max: 9 }), instanceType }),
    query: fc.record({ replicas: fc.integer({ min: 1, max: 5 }), instanceType, brokerRuntimeProperties: nameValues }, { requiredKeys: ['replicas', 'instanceType'] }),
    data: fc.record({ tiers: fc.uniqueArray(tier, { selector: (t) => t.name, minLength: 1, maxLength: 3 }) }),
    deepStorage: fc.record({ path: fc.constantFrom('s3://bucket', 's3://my.bucket-1/some/prefix') }),
    metadataStore: fc.oneof(
      fc.constant({ type: 'managed' as const }),
      fc.record({ type: fc.constantFrom('mysql' as const, 'postgresql' as const), host: fc.constant('db'), port: fc.integer({ min: 1, max: 65535 }), database: fc.constant('druid'), user: fc.constant('u'), password: fc.string({ minLength: 1, maxLength: 12 }) }, { requiredKeys: ['type', 'host', 'port', 'database', 'user'] }),
    ),
    loadBalancers: fc.array(fc.record({ type: fc.constantFrom('QUERY' as const, 'PIVOT' as const), internal: fc.boolean(), allowedCidrs: fc.array(fc.constantFrom('10.0.0.0/8', '192.168.1.0/24'), { maxLength: 2 }) }, { requiredKeys: ['type'] }), { maxLength: 2 }),
    pivotAccess: fc.record({ enabled: fc.boolean(), mode: fc.constantFrom('IMPLY_AUTH' as const, 'DIRECT' as const) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['version', 'awsInstanceRole', 'master', 'query', 'data', 'deepStorage'] },
);

/** A valid body with one random field replaced by a random JSON value, or the whole body replaced. */
const invalidBody = fc.oneof(
  fc.jsonValue(),
  fc.tuple(validSpec, fc.constantFrom('version', 'master', 'query', 'data', 'deepStorage', 'awsTags', 'metadataStore', 'desiredState', 'encryptVolumes', 'bogus'), fc.jsonValue()).map(([spec, key, value]) => ({ metadata: { name: 'x' }, spec: { ...spec, [key]: value } })),
  fc.tuple(validSpec, fc.jsonValue()).map(([spec, name]) => ({ metadata: { name }, spec })),
);

describe('properties', () => {
  it('an invalid body always gets a well-formed 400 (never a 5xx)', async () => {
    await fc.assert(
      fc.asyncProperty(invalidBody, async (body) => {
        const res = await session.call('POST', '/clusters?dryRun=true', { body });
        if (res.status === 200) return; // the random value happened to be valid
        expect(res.status).toBe(400);
        const { error } = res.json as ErrorBody;
        expect(error.code).toBe('BadArgument');
        expect(error.message).toBe('Request contains invalid arguments');
        expect(error.details?.length).toBeGreaterThan(0);
        for (const d of error.details ?? []) {
          expect(typeof d.code).toBe('string');
          expect(typeof d.target).toBe('string');
          expect(typeof d.message).toBe('string');
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a valid body round-trips through create and get', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(validSpec, async (spec) => {
        const res = await session.call('POST', '/clusters', { body: { metadata: { name: `p${n++}` }, spec } });
        expect(res.status).toBe(202);
        const got = await session.get((res.json as ObservedCluster).metadata.uid);
        const expected = withDefaults(spec);
        if (expected.metadataStore?.password !== undefined) {
          delete expected.metadataStore.password;
          expected.metadataStore.passwordSet = true;
        }
        expect(got.spec).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('the base spec used by the other tests is valid', async () => {
    expect((await session.call('POST', '/clusters?dryRun=true', { body: { metadata: { name: 'base' }, spec: clusterSpec() } })).status).toBe(200);
  });
});
