// The ImplyAccount custom resource: how to reach one Imply Cloud organization.
import { Type, type Static } from '@sinclair/typebox';
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { Conditions } from '../kube/condition.js';

const strict = { additionalProperties: false } as const;

/** The API names of ImplyAccount (defined with the other names in implycluster/names.ts). */
export { implyAccountKind, implyAccountPlural, implyAccountSingular, group, version, apiVersion } from '../implycluster/names.js';

/** Keys the credentials Secret may hold: a static token, or an OAuth2 client. */
export const credentialsSecretKeys = { token: 'token', clientId: 'clientId', clientSecret: 'clientSecret', tokenUrl: 'tokenUrl' } as const;

/** Default of spec.requestsPerSecond. */
export const defaultRequestsPerSecond = 5;
/** Default of spec.burst. */
export const defaultBurst = 10;

/** Desired state of an ImplyAccount. */
export const ImplyAccountSpec = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      pattern: '^https?://',
      description: 'Manager API base URL, e.g. https://acme.implycloud.com/api/v1.',
    }),
    credentialsSecretRef: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 253, description: 'Name of the Secret, in the same namespace.' }),
      },
      { ...strict, description: 'Secret with key token, or keys clientId, clientSecret and tokenUrl (OAuth2 client credentials).' },
    ),
    requestsPerSecond: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1000, default: defaultRequestsPerSecond, description: 'API request budget shared by every cluster of this account, per second (default 5).' }),
    ),
    burst: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, default: defaultBurst, description: 'Requests allowed at once above the steady rate (default 10).' }),
    ),
  },
  { ...strict, description: 'How to reach one Imply Cloud organization.' },
);
/** Desired state of an ImplyAccount. */
export type ImplyAccountSpec = Static<typeof ImplyAccountSpec>;

/** Observed state of an ImplyAccount. */
export const ImplyAccountStatus = Type.Object(
  {
    observedGeneration: Type.Optional(Type.Integer({ minimum: 0, description: 'metadata.generation last reconciled.' })),
    conditions: Type.Optional(Conditions),
  },
  { ...strict, description: 'Observed state of the account, written by the controller.' },
);
/** Observed state of an ImplyAccount. */
export type ImplyAccountStatus = Static<typeof ImplyAccountStatus>;

/** An ImplyAccount object as read from the Kubernetes API. */
export interface ImplyAccount {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta;
  spec: ImplyAccountSpec;
  status?: ImplyAccountStatus;
}
