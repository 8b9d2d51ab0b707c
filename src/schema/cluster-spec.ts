// The Imply ClusterSpec and its parts, defined once. Types, ajv validators, openapi.json and the
// CRD schema are all derived from these definitions. Contract: shared/docs/manager-api.md.
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './schema-kit.js';

const strict = { additionalProperties: false } as const;

/** Name pattern of a data tier. */
export const tierNamePattern = '^[a-z0-9][a-z0-9-]{0,62}$';
/** `s3://bucket[/prefix]`: bucket names follow S3's rules (3–63 chars, lowercase, digits, dots, dashes). */
export const s3PathPattern = '^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$';
/** An IPv4 CIDR block. */
export const cidrPattern = '^([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$';

/** Server roles of an Imply cluster. */
export const serverTypes = ['MASTER', 'QUERY', 'DATA'] as const;

export const NameValue = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Property or tag name; unique within its list.' }),
    value: Type.String({ description: 'Property or tag value.' }),
  },
  { ...strict, description: 'A name and a value.' },
);
export type NameValue = Static<typeof NameValue>;

const properties = (description: string) =>
  Type.Optional(Type.Array(NameValue, { description: `${description} (names unique).` }));

export const MasterConfiguration = Type.Object(
  {
    replicas: Type.Integer({ minimum: 1, maximum: 9, description: 'Number of master servers, 1–9.' }),
    instanceType: Type.String({ minLength: 1, description: 'EC2 instance type of master servers, e.g. m5.large.' }),
    coordinatorRuntimeProperties: properties('Druid coordinator runtime properties'),
    overlordRuntimeProperties: properties('Druid overlord runtime properties'),
  },
  { ...strict, description: 'Master servers (coordinator and overlord).' },
);
export type MasterConfiguration = Static<typeof MasterConfiguration>;

export const QueryConfiguration = Type.Object(
  {
    replicas: Type.Integer({ minimum: 1, maximum: 100, description: 'Number of query servers, 1–100.' }),
    instanceType: Type.String({ minLength: 1, description: 'EC2 instance type of query servers.' }),
    brokerRuntimeProperties: properties('Druid broker runtime properties'),
    routerRuntimeProperties: properties('Druid router runtime properties'),
    pivotRuntimeProperties: properties('Pivot runtime properties'),
  },
  { ...strict, description: 'Query servers (broker, router, Pivot).' },
);
export type QueryConfiguration = Static<typeof QueryConfiguration>;

export const DataTier = Type.Object(
  {
    name: Type.String({ pattern: tierNamePattern, description: 'Tier name: lowercase letters, digits and dashes, 1–63 chars; unique.' }),
    replicas: Type.Integer({ minimum: 0, maximum: 1000, description: 'Number of data servers in this tier, 0–1000.' }),
    instanceType: Type.String({ minLength: 1, description: 'EC2 instance type of this tier.' }),
    historicalRuntimeProperties: properties('Druid historical runtime properties'),
    middleManagerRuntimeProperties: properties('Druid middle manager runtime properties'),
  },
  { ...strict, description: 'One tier of data servers.' },
);
export type DataTier = Static<typeof DataTier>;

export const DataConfiguration = Type.Object(
  {
    tiers: Type.Array(DataTier, { minItems: 1, description: 'Data tiers; at least one, names unique.' }),
  },
  { ...strict, description: 'Data servers (historical and middle manager), by tier.' },
);
export type DataConfiguration = Static<typeof DataConfiguration>;

export const DeepStorage = Type.Object(
  {
    type: Type.Optional(StringEnum(['s3'] as const, { description: 'Deep storage kind.', default: 's3' })),
    path: Type.String({
      pattern: s3PathPattern,
      description: 'Where segments are kept: s3://bucket[/prefix].',
      'x-message': 'Path is not a valid s3 path',
    }),
  },
  { ...strict, description: 'Where Druid keeps its segments.' },
);
export type DeepStorage = Static<typeof DeepStorage>;

export const metadataStoreTypes = ['managed', 'mysql', 'postgresql'] as const;

export const MetadataStore = Type.Object(
  {
    type: StringEnum(metadataStoreTypes, { description: 'managed (by Imply), or an external mysql or postgresql.', default: 'managed' }),
    host: Type.Optional(Type.String({ minLength: 1, description: 'Database host; required for external types.' })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Database port; required for external types.' })),
    database: Type.Optional(Type.String({ minLength: 1, description: 'Database name; required for external types.' })),
    user: Type.Optional(Type.String({ minLength: 1, description: 'Database user; required for external types.' })),
    password: Type.Optional(Type.String({ writeOnly: true, description: 'Database password: accepted on writes, never returned.' })),
    passwordSet: Type.Optional(Type.Boolean({ readOnly: true, description: 'True when a password has been set (responses only).' })),
  },
  { ...strict, description: 'The Druid metadata store.' },
);
export type MetadataStore = Static<typeof MetadataStore>;

export const LoadBalancer = Type.Object(
  {
    type: StringEnum(['QUERY', 'PIVOT'] as const, { description: 'What the load balancer fronts.' }),
    internal: Type.Optional(Type.Boolean({ default: false, description: 'Internal (VPC-only) load balancer.' })),
    allowedCidrs: Type.Optional(
      Type.Array(Type.String({ pattern: cidrPattern, description: 'An IPv4 CIDR block.' }), {
        description: 'CIDR blocks allowed to connect.',
      }),
    ),
    hostname: Type.Optional(Type.String({ readOnly: true, description: 'DNS name, once started (status only).' })),
  },
  { ...strict, description: 'A load balancer in front of query or Pivot servers.' },
);
export type LoadBalancer = Static<typeof LoadBalancer>;

export const PivotAccess = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ default: true, description: 'Whether Pivot is reachable.' })),
    mode: Type.Optional(StringEnum(['IMPLY_AUTH', 'DIRECT'] as const, { description: 'How users authenticate to Pivot.' })),
  },
  { ...strict, description: 'Access to Pivot, the Imply UI.' },
);
export type PivotAccess = Static<typeof PivotAccess>;

export const CustomFile = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'File name.' }),
    url: Type.String({
      pattern: '^(s3|https)://.+$',
      description: 'Where the file is fetched from: s3://… or https://….',
      'x-message': 'URL must start with s3:// or https://',
    }),
    type: Type.Optional(StringEnum(['EXTENSION', 'CLASSPATH', 'FILE'] as const, { description: 'How the file is used.' })),
    targets: Type.Optional(
      Type.Array(StringEnum(serverTypes, { description: 'A server type.' }), {
        uniqueItems: true,
        default: [...serverTypes],
        description: 'Server types that receive the file (default all).',
      }),
    ),
  },
  { ...strict, description: 'A custom file installed on servers.' },
);
export type CustomFile = Static<typeof CustomFile>;

export const desiredStates = ['STARTED', 'STOPPED'] as const;

export const ClusterSpec = Type.Object(
  {
    version: Type.String({ minLength: 1, description: 'Imply release to run, e.g. 2021.01.' }),
    desiredState: Type.Optional(StringEnum(desiredStates, { description: 'STARTED or STOPPED.', default: 'STARTED' })),
    awsInstanceRole: Type.String({ minLength: 1, description: 'IAM instance role of the servers.' }),
    awsKeyPair: Type.Optional(Type.String({ description: 'EC2 key pair for SSH access.' })),
    awsTags: Type.Optional(Type.Array(NameValue, { description: 'AWS tags on every resource of the cluster (names unique).' })),
    encryptVolumes: Type.Optional(Type.Boolean({ default: true, description: 'Encrypt EBS volumes.' })),
    commonRuntimeProperties: properties('Runtime properties for every Druid service'),
    master: MasterConfiguration,
    query: QueryConfiguration,
    data: DataConfiguration,
    deepStorage: DeepStorage,
    metadataStore: Type.Optional(MetadataStore),
    loadBalancers: Type.Optional(Type.Array(LoadBalancer, { description: 'Load balancers.' })),
    pivotAccess: Type.Optional(PivotAccess),
    customFiles: Type.Optional(Type.Array(CustomFile, { description: 'Custom files (names unique).' })),
  },
  { ...strict, description: 'The configuration of an Imply cluster.' },
);
export type ClusterSpec = Static<typeof ClusterSpec>;
