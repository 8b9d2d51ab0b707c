// The ImplyCluster custom resource: spec and status schemas, derived from the Manager API schema
// source (src/schema) so the CRD, the TypeScript types and the client share one definition.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { ClusterSpec, LoadBalancer, MetadataStore, clusterStates, serverTypes } from '../schema/index.js';
import { StringEnum } from '../schema/schema-kit.js';
import { Conditions } from '../kube/condition.js';
import type { CelRule } from '../kube/crd-from-schema.js';
import { defaultAccountName } from './names.js';

export * from './names.js';

const strict = { additionalProperties: false } as const;
const timestamp = (description: string) => Type.String({ format: 'date-time', description });
// Every field of the schema source carries a description; reusing it keeps kubectl explain in sync.
const descriptionOf = (schema: TSchema): string => schema.description ?? '';

/** A key of a Secret in the resource's namespace. */
export const SecretKeyRef = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 253, description: 'Name of the Secret, in the same namespace.' }),
    key: Type.String({ minLength: 1, maxLength: 253, description: 'Key within the Secret.' }),
  },
  { ...strict, description: 'A key of a Secret in the same namespace.' },
);
/** A key of a Secret in the resource's namespace. */
export type SecretKeyRef = Static<typeof SecretKeyRef>;

/** MetadataStore as written in a manifest: the password comes from a Secret, never the spec. */
export const MetadataStoreSpec = Type.Composite(
  [
    Type.Omit(MetadataStore, ['password', 'passwordSet']),
    Type.Object({
      passwordSecretRef: Type.Optional(
        Type.Object(SecretKeyRef.properties, { ...strict, description: 'Secret key holding the database password (external types).' }),
      ),
    }),
  ],
  { ...strict, description: descriptionOf(MetadataStore) },
);
/** MetadataStore as written in a manifest. */
export type MetadataStoreSpec = Static<typeof MetadataStoreSpec>;

/** LoadBalancer as written in a manifest: without the read-only hostname. */
export const LoadBalancerSpec = Type.Omit(LoadBalancer, ['hostname'], { ...strict, description: descriptionOf(LoadBalancer) });
/** LoadBalancer as written in a manifest. */
export type LoadBalancerSpec = Static<typeof LoadBalancerSpec>;

/** The Imply ClusterSpec field for field, with write-only secrets and read-only fields replaced. */
export const ImplyClusterClusterSpec = Type.Object(
  {
    ...ClusterSpec.properties,
    metadataStore: Type.Optional(MetadataStoreSpec),
    loadBalancers: Type.Optional(Type.Array(LoadBalancerSpec, { description: descriptionOf(ClusterSpec.properties.loadBalancers) })),
  },
  { ...strict, description: `${descriptionOf(ClusterSpec)} Field for field the Imply ClusterSpec; the metadata store password comes from a Secret.` },
);
/** The Imply ClusterSpec as written in an ImplyCluster. */
export type ImplyClusterClusterSpec = Static<typeof ImplyClusterClusterSpec>;

/** Values of spec.deletionPolicy. */
export const deletionPolicies = ['Delete', 'Orphan'] as const;
/** Values of spec.managementPolicy. */
export const managementPolicies = ['Manage', 'ObserveOnly'] as const;

/** Desired state of an ImplyCluster. */
export const ImplyClusterSpec = Type.Object(
  {
    accountRef: Type.Optional(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 253, default: defaultAccountName, description: 'Name of the ImplyAccount, in the same namespace.' }),
        },
        { ...strict, default: { name: defaultAccountName }, description: 'The ImplyAccount to use (default: the one named "default"); immutable.' },
      ),
    ),
    clusterName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'Imply cluster name (metadata.name); default <namespace>-<name>; immutable once set.' }),
    ),
    deletionPolicy: Type.Optional(
      StringEnum(deletionPolicies, { default: 'Delete', description: 'On delete: Delete (stop, then delete the Imply cluster) or Orphan (leave it).' }),
    ),
    managementPolicy: Type.Optional(
      StringEnum(managementPolicies, { default: 'Manage', description: 'Manage, or ObserveOnly (report status, never write to the Imply API).' }),
    ),
    cluster: ImplyClusterClusterSpec,
  },
  { ...strict, description: 'Desired state of the Imply cluster.' },
);
/** Desired state of an ImplyCluster. */
export type ImplyClusterSpec = Static<typeof ImplyClusterSpec>;

/** One difference between the desired and the observed Imply cluster. */
export const Drift = Type.Object(
  {
    path: Type.String({ description: 'Dotted path of the field, e.g. cluster.query.replicas.' }),
    desired: Type.Optional(Type.String({ description: 'Desired value, as JSON text (absent when the field should be unset).' })),
    observed: Type.Optional(Type.String({ description: 'Observed value, as JSON text (absent when the field was unset).' })),
    detectedAt: timestamp('When the drift was detected.'),
  },
  { ...strict, description: 'A field someone changed outside this resource; corrected on the next poll.' },
);
/** One difference between the desired and the observed Imply cluster. */
export type Drift = Static<typeof Drift>;

/** Observed state of an ImplyCluster, written by the controller only. */
export const ImplyClusterStatus = Type.Object(
  {
    observedGeneration: Type.Optional(Type.Integer({ minimum: 0, description: 'metadata.generation last reconciled.' })),
    clusterId: Type.Optional(Type.String({ format: 'uuid', description: 'Id (metadata.uid) of the Imply cluster.' })),
    state: Type.Optional(StringEnum(clusterStates, { description: 'Lifecycle state of the Imply cluster (its status.state).' })),
    resourceVersion: Type.Optional(Type.Integer({ minimum: 0, description: 'Imply configuration version last seen.' })),
    appliedGeneration: Type.Optional(Type.Integer({ minimum: 0, description: 'metadata.generation whose spec was last sent to Imply.' })),
    updateState: Type.Optional(
      Type.Object(
        {
          phase: StringEnum(['PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED'] as const, { description: 'Progress of the change.' }),
          serversUpdated: Type.Integer({ minimum: 0, description: 'Servers already running the target version.' }),
          serversTotal: Type.Integer({ minimum: 0, description: 'Servers the change touches.' }),
        },
        { ...strict, description: 'Progress of the configuration change being applied, if any.' },
      ),
    ),
    servers: Type.Optional(
      Type.Object(
        {
          total: Type.Integer({ minimum: 0, description: 'Servers of the cluster.' }),
          running: Type.Integer({ minimum: 0, description: 'Servers in state RUNNING.' }),
          byType: Type.Optional(
            Type.Record(Type.String(), Type.Integer({ minimum: 0, description: 'Number of servers.' }), {
              description: `Servers by type (${serverTypes.join(', ')}).`,
            }),
          ),
        },
        { ...strict, description: 'Server counts.' },
      ),
    ),
    endpoints: Type.Optional(
      Type.Array(
        Type.Object(
          {
            type: StringEnum(['QUERY', 'PIVOT'] as const, { description: 'What the endpoint fronts.' }),
            hostname: Type.String({ description: 'DNS name.' }),
          },
          { ...strict, description: 'A load balancer endpoint.' },
        ),
        { description: 'Load balancer endpoints, once started.' },
      ),
    ),
    drift: Type.Optional(Type.Array(Drift, { maxItems: 100, description: 'Fields last found changed outside this resource.' })),
    lastSyncTime: Type.Optional(timestamp('When the controller last changed this status after reading the Imply cluster; unchanged polls do not move it, so a steady state makes no writes.')),
    passwordSecretVersion: Type.Optional(
      Type.String({ description: 'uid/resourceVersion of the metadata store password Secret whose value was last sent to Imply (never the value).' }),
    ),
    conditions: Type.Optional(Conditions),
  },
  { ...strict, description: 'Observed state of the Imply cluster, written by the controller.' },
);
/** Observed state of an ImplyCluster. */
export type ImplyClusterStatus = Static<typeof ImplyClusterStatus>;

/**
 * CEL rules of the ImplyCluster CRD, by path from the object root: what JSON Schema cannot say.
 * The name and the account identify the Imply cluster, so changing either would orphan it.
 */
export const implyClusterValidations: Record<string, readonly CelRule[]> = {
  spec: [
    {
      rule: '!has(oldSelf.clusterName) || (has(self.clusterName) && self.clusterName == oldSelf.clusterName)',
      message: 'clusterName is immutable once set',
      fieldPath: '.clusterName',
      reason: 'FieldValueForbidden',
    },
    {
      // accountRef is defaulted, but objects stored before the default existed may lack it.
      rule: `(has(self.accountRef) ? self.accountRef.name : '${defaultAccountName}') == (has(oldSelf.accountRef) ? oldSelf.accountRef.name : '${defaultAccountName}')`,
      message: 'accountRef is immutable',
      fieldPath: '.accountRef',
      reason: 'FieldValueForbidden',
    },
  ],
  'spec.cluster.metadataStore': [
    {
      rule: "self.type == 'managed' || (has(self.host) && has(self.port) && has(self.database) && has(self.user))",
      message: 'host, port, database and user are required for external metadata stores (mysql, postgresql)',
      reason: 'FieldValueRequired',
    },
  ],
};

/** An ImplyCluster object as read from the Kubernetes API. */
export interface ImplyCluster {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta;
  spec: ImplyClusterSpec;
  status?: ImplyClusterStatus;
}
