// The Cluster resource, its status and servers: the Manager API's wire objects.
// Contract: shared/docs/manager-api.md ("Objects").
import { Type, type Static } from '@sinclair/typebox';
import { ClusterSpec, LoadBalancer, serverTypes } from './cluster-spec.js';
import { StringEnum } from './schema-kit.js';

const strict = { additionalProperties: false } as const;
const timestamp = (description: string) => Type.String({ format: 'date-time', description });

export const ObjectMeta = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128, description: 'Cluster name, unique in the account.', 'x-label': 'Cluster name' }),
    uid: Type.Optional(Type.String({ format: 'uuid', description: 'Server-assigned id (a UUID); the clusterId of every path.' })),
    creationTimestamp: Type.Optional(timestamp('When the cluster was created (server-assigned).')),
  },
  { ...strict, description: 'Identity of a cluster.' },
);
export type ObjectMeta = Static<typeof ObjectMeta>;

/** Every value of ClusterStatus.state. */
export const clusterStates = ['STARTING', 'STARTED', 'UPDATING', 'STOPPING', 'STOPPED', 'TERMINATING', 'FAILED'] as const;
export type ClusterState = (typeof clusterStates)[number];
/** States that end on their own; every write is refused with 409 while in one. */
export const transitionalStates: readonly ClusterState[] = ['STARTING', 'UPDATING', 'STOPPING', 'TERMINATING'];

export const UpdateState = Type.Object(
  {
    targetResourceVersion: Type.Integer({ minimum: 0, description: 'Configuration version being applied.' }),
    strategy: StringEnum(['ROLLING', 'RESTART'] as const, { description: 'How servers are replaced.' }),
    phase: StringEnum(['PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED'] as const, { description: 'Progress of the change.' }),
    serversUpdated: Type.Integer({ minimum: 0, description: 'Servers already running the target version.' }),
    serversTotal: Type.Integer({ minimum: 0, description: 'Servers the change touches.' }),
    startTime: Type.Optional(timestamp('When the change started.')),
    endTime: Type.Optional(timestamp('When the change ended.')),
    message: Type.Optional(Type.String({ description: 'Human-readable progress.' })),
  },
  { ...strict, description: 'Progress of a configuration change.' },
);
export type UpdateState = Static<typeof UpdateState>;

export const ClusterEvent = Type.Object(
  {
    timestamp: timestamp('When it happened.'),
    type: StringEnum(['INFO', 'WARNING', 'ERROR'] as const, { description: 'Severity.' }),
    reason: Type.String({ description: 'Machine-readable reason, e.g. ClusterCreated, UpdateStarted.' }),
    message: Type.String({ description: 'Human-readable message.' }),
    resourceVersion: Type.Integer({ minimum: 0, description: 'Configuration version at the time.' }),
  },
  { ...strict, description: 'Something that happened to the cluster.' },
);
export type ClusterEvent = Static<typeof ClusterEvent>;

export const ClusterStatus = Type.Object(
  {
    resourceVersion: Type.Integer({ minimum: 0, description: 'Configuration version; incremented on each configuration change.' }),
    state: StringEnum(clusterStates, { description: 'Lifecycle state.' }),
    updateState: Type.Optional(UpdateState),
    events: Type.Optional(Type.Array(ClusterEvent, { maxItems: 50, description: 'Recent events, newest last (at most 50).' })),
    loadBalancers: Type.Optional(Type.Array(LoadBalancer, { description: 'Load balancers with their hostnames once started.' })),
  },
  { ...strict, description: 'Observed state of a cluster (read-only).' },
);
export type ClusterStatus = Static<typeof ClusterStatus>;

export const Cluster = Type.Object(
  {
    metadata: ObjectMeta,
    spec: ClusterSpec,
    status: Type.Optional(ClusterStatus),
  },
  { ...strict, description: 'An Imply cluster.' },
);
export type Cluster = Static<typeof Cluster>;

/** A Cluster as the API returns it: uid, creationTimestamp and status always present. */
export type ObservedCluster = Cluster & {
  metadata: ObjectMeta & { uid: string; creationTimestamp: string };
  status: ClusterStatus;
};

/** A Cluster as the API returns it from the history endpoint: status holds only resourceVersion. */
export const HistoricalCluster = Type.Object(
  {
    metadata: ObjectMeta,
    spec: ClusterSpec,
    status: Type.Object({ resourceVersion: Type.Integer({ minimum: 0, description: 'The version served.' }) }, strict),
  },
  { ...strict, description: 'A cluster configuration as it was at one version.' },
);
export type HistoricalCluster = Static<typeof HistoricalCluster>;

export const serverStates = ['PENDING', 'RUNNING', 'STOPPING', 'STOPPED', 'TERMINATED', 'UNHEALTHY'] as const;

export const Server = Type.Object(
  {
    id: Type.String({ pattern: '^i-[0-9a-f]{17}$', description: 'Instance id: i- and 17 hex digits.' }),
    type: StringEnum(serverTypes, { description: 'Server role.' }),
    tier: Type.Optional(Type.String({ description: 'Data tier (DATA servers only).' })),
    instanceType: Type.String({ description: 'EC2 instance type.' }),
    state: StringEnum(serverStates, { description: 'Server state.' }),
    privateIp: Type.String({ description: 'Private IPv4 address.' }),
    resourceVersion: Type.Integer({ minimum: 0, description: 'Configuration version the server runs.' }),
    launchTime: timestamp('When the server was launched.'),
  },
  { ...strict, description: 'One server of a cluster.' },
);
export type Server = Static<typeof Server>;

/** Codes of `details` entries in a 400 body. */
export const detailCodes = ['NullValue', 'MalformedValue', 'InvalidValue', 'OutOfRange', 'UnknownField', 'Duplicate', 'Immutable'] as const;
export type DetailCode = (typeof detailCodes)[number];

export const ErrorDetail = Type.Object(
  {
    code: Type.String({ description: 'Detail code, e.g. NullValue, MalformedValue.' }),
    target: Type.String({ description: 'Dotted path from the Cluster root, e.g. spec.data.tiers[1].name.' }),
    message: Type.String({ description: 'What is wrong.' }),
  },
  { description: 'One problem with a request.' },
);
export type ErrorDetail = Static<typeof ErrorDetail>;

/** Every error body's `error.code`. */
export const errorCodes = ['BadArgument', 'Unauthorized', 'NotFound', 'StateConflict', 'AlreadyExists', 'TooManyRequests', 'InternalError', 'Unavailable', 'MethodNotAllowed'] as const;

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Error code, e.g. BadArgument, StateConflict.' }),
      message: Type.String({ description: 'What went wrong.' }),
      details: Type.Optional(Type.Array(ErrorDetail, { description: 'One entry per problem (400).' })),
    }),
  },
  { description: 'The body of every error response.' },
);
export type ErrorBody = Static<typeof ErrorBody>;
