// The OpenAPI 3.1 document of the Manager API, built from the schema source. Checked in as
// docs/openapi.json (scripts/generate-openapi.ts) and served at /openapi.json.
import { Type, type TSchema } from '@sinclair/typebox';
import * as schema from '../schema/index.js';
import { tokenPathPattern } from './route-table.js';

const TokenResponse = Type.Object(
  {
    access_token: Type.String({ description: 'Opaque bearer token.' }),
    token_type: Type.Literal('Bearer', { description: 'Always Bearer.' }),
    expires_in: Type.Integer({ description: 'Seconds until the token expires.' }),
  },
  { description: 'A token from the client-credentials grant.' },
);
const OAuthError = Type.Object(
  { error: Type.String({ description: 'invalid_client, invalid_request or unsupported_grant_type.' }), error_description: Type.String({ description: 'What is wrong.' }) },
  { description: 'An OAuth2 error (RFC 6749 §5.2).' },
);

const components: Record<string, TSchema> = {
  Cluster: schema.Cluster, ObjectMeta: schema.ObjectMeta, ClusterSpec: schema.ClusterSpec, ClusterStatus: schema.ClusterStatus,
  HistoricalCluster: schema.HistoricalCluster, MasterConfiguration: schema.MasterConfiguration, QueryConfiguration: schema.QueryConfiguration,
  DataConfiguration: schema.DataConfiguration, DataTier: schema.DataTier, DeepStorage: schema.DeepStorage, MetadataStore: schema.MetadataStore,
  LoadBalancer: schema.LoadBalancer, PivotAccess: schema.PivotAccess, CustomFile: schema.CustomFile, NameValue: schema.NameValue,
  UpdateState: schema.UpdateState, ClusterEvent: schema.ClusterEvent, Server: schema.Server, ErrorDetail: schema.ErrorDetail,
  ErrorBody: schema.ErrorBody, TokenResponse, OAuthError,
};

/** Plain JSON of a TypeBox schema (symbols dropped), with nested components replaced by `$ref`. */
function componentSchemas(): Record<string, unknown> {
  const plain = Object.fromEntries(Object.entries(components).map(([name, s]) => [name, JSON.parse(JSON.stringify(s)) as unknown]));
  const nameOf = new Map(Object.entries(plain).map(([name, s]) => [JSON.stringify(s), name]));
  const refify = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => refify(n, false));
    if (node === null || typeof node !== 'object') return node;
    const name = root ? undefined : nameOf.get(JSON.stringify(node));
    if (name !== undefined) return { $ref: `#/components/schemas/${name}` };
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, refify(v, false)]));
  };
  return Object.fromEntries(Object.entries(plain).map(([name, s]) => [name, refify(s, true)]));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (s: unknown) => ({ 'application/json': { schema: s } });
const errorDescriptions: Record<number, string> = {
  400: 'Invalid arguments (BadArgument), one detail per problem.',
  401: 'No, unknown or expired token (Unauthorized).',
  403: 'The token lacks the manage-clusters role (Unauthorized).',
  404: 'Unknown cluster, server or version (NotFound).',
  409: 'The cluster state forbids the transition (StateConflict), or the name is taken (AlreadyExists).',
  413: 'Body over 1 MiB (BadArgument).',
  429: 'Rate limited (TooManyRequests); Retry-After in seconds.',
  503: 'Unavailable; may carry Retry-After.',
};

interface OperationSpec {
  summary: string;
  ok: Record<number, [string, unknown]>;
  errors: number[];
  body?: 'Cluster' | 'patch';
  query?: ('dryRun' | 'pretty')[];
}

function operation(operationId: string, spec: OperationSpec, params: string[]): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, [description, body]] of Object.entries(spec.ok)) responses[status] = { description, content: json(body) };
  for (const status of [...spec.errors, 429, 503]) responses[String(status)] = { description: errorDescriptions[status], content: json(ref('ErrorBody')) };
  const parameters = [
    ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...(spec.query ?? ['pretty']).map((name) => ({ name, in: 'query', required: false, schema: { type: 'boolean' }, description: name === 'dryRun' ? 'Validate only; answer 200 with the would-be Cluster.' : 'Pretty-print the response.' })),
  ];
  const out: Record<string, unknown> = { operationId, summary: spec.summary, parameters, responses };
  if (spec.body === 'Cluster') out['requestBody'] = { required: true, content: json(ref('Cluster')) };
  if (spec.body === 'patch') {
    out['requestBody'] = { required: true, content: { 'application/merge-patch+json': { schema: { type: 'object', description: 'RFC 7386 merge patch of a Cluster.' } }, ...json({ type: 'object' }) } };
  }
  return out;
}

const cluster202 = (d: string): Record<number, [string, unknown]> => ({ 202: [d, ref('Cluster')], 200: ['No change, or dry run: the (would-be) Cluster.', ref('Cluster')] });
const writeQuery: ('dryRun' | 'pretty')[] = ['dryRun', 'pretty'];

/** The OpenAPI document; `serverUrl` is the API base URL shown under `servers`. */
export function openApiDocument(serverUrl = 'http://127.0.0.1:9444/api/v1'): Record<string, unknown> {
  const id = ['clusterId'];
  return {
    openapi: '3.1.0',
    info: { title: 'Imply Cloud Manager API (as implemented by the imply-operator emulator)', version: '1', description: 'Generated from src/schema by scripts/generate-openapi.ts; do not edit. Contract: manager-api.md; assumptions: docs/api-assumptions.md.' },
    servers: [{ url: serverUrl, description: 'Emulator' }, { url: 'https://{vanityDomain}.implycloud.com/api/v1', variables: { vanityDomain: { default: 'example' } } }],
    security: [{ bearer: [] }, { oauth2: ['manage-clusters'] }],
    paths: {
      '/clusters': {
        get: operation('listClusters', { summary: 'List clusters', ok: { 200: ['Every cluster.', { type: 'array', items: ref('Cluster') }] }, errors: [401, 403] }, []),
        post: operation('createCluster', { summary: 'Create a cluster', ok: { 202: ['Created; initial status.', ref('Cluster')], 200: ['Dry run: the would-be Cluster.', ref('Cluster')] }, errors: [400, 401, 403, 409, 413], body: 'Cluster', query: writeQuery }, []),
      },
      '/clusters/{clusterId}': {
        get: operation('getCluster', { summary: 'Get a cluster', ok: { 200: ['The cluster.', ref('Cluster')] }, errors: [401, 403, 404] }, id),
        put: operation('overwriteCluster', { summary: 'Overwrite the configuration (omitted fields take defaults)', ok: cluster202('Change accepted.'), errors: [400, 401, 403, 404, 409, 413], body: 'Cluster', query: writeQuery }, id),
        patch: operation('updateCluster', { summary: 'Update a cluster with a JSON merge patch', ok: cluster202('Change accepted.'), errors: [400, 401, 403, 404, 409, 413], body: 'patch', query: writeQuery }, id),
        delete: operation('deleteCluster', { summary: 'Delete a STOPPED or FAILED cluster', ok: { 202: ['TERMINATING.', ref('Cluster')], 200: ['Dry run.', ref('Cluster')] }, errors: [401, 403, 404, 409], query: writeQuery }, id),
      },
      '/clusters/{clusterId}/history/{resourceVersion}': {
        get: operation('getClusterVersion', { summary: 'Get the configuration at a version', ok: { 200: ['The cluster at that version.', ref('HistoricalCluster')] }, errors: [401, 403, 404] }, [...id, 'resourceVersion']),
      },
      '/clusters/{clusterId}/servers': {
        get: operation('listServers', { summary: 'List servers', ok: { 200: ['The servers.', { type: 'array', items: ref('Server') }] }, errors: [401, 403, 404] }, id),
      },
      '/clusters/{clusterId}/servers/{serverId}': {
        get: operation('getServer', { summary: 'Get a server', ok: { 200: ['The server.', ref('Server')] }, errors: [401, 403, 404] }, [...id, 'serverId']),
      },
      '/clusters/{clusterId}/servers/{serverId}/restart': {
        post: operation('restartServer', { summary: 'Restart a server of a STARTED cluster', ok: { 202: ['Restarting.', ref('Server')] }, errors: [401, 403, 404, 409] }, [...id, 'serverId']),
      },
      [tokenPathPattern]: { post: tokenOperation() },
    },
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token with the manage-clusters role.' },
        oauth2: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: tokenPathPattern.replace('{realm}', 'imply'), scopes: { 'manage-clusters': 'Manage clusters' } } } },
      },
    },
  };
}

function tokenOperation(): Record<string, unknown> {
  const form = { type: 'object', required: ['grant_type'], properties: { grant_type: { const: 'client_credentials' }, client_id: { type: 'string' }, client_secret: { type: 'string' } } };
  return {
    operationId: 'token',
    summary: 'OAuth2 client-credentials grant (served at the server root, not under /api/v1)',
    servers: [{ url: '/', description: 'Server root' }],
    security: [],
    parameters: [{ name: 'realm', in: 'path', required: true, schema: { type: 'string' } }],
    requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: form } } },
    responses: {
      200: { description: 'A token.', content: json(ref('TokenResponse')) },
      400: { description: 'Bad request or grant type.', content: json(ref('OAuthError')) },
      401: { description: 'Unknown client or wrong secret.', content: json(ref('OAuthError')) },
    },
  };
}

/** The checked-in text of docs/openapi.json: the document with the default server URL, two-space indent. */
export function openApiText(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}
