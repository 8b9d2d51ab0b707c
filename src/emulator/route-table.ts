// Every path the emulator serves, the operation name of each method, and path matching.
import type { RequestGroup } from './request-counter.js';

/** Base path of the Manager API. */
export const apiBasePath = '/api/v1';
/** Base path of the emulator's admin API. */
export const adminBasePath = '/_emulator';
/** The OAuth2 token endpoint; any realm is accepted. */
export const tokenPathPattern = '/auth/realms/{realm}/protocol/openid-connect/token';

/** One path and, per method, the operation that serves it. */
export interface Route {
  group: RequestGroup;
  pattern: string;
  methods: Readonly<Record<string, string>>;
  /** Needs a bearer token. */
  authenticated: boolean;
}

const api = (pattern: string, methods: Record<string, string>): Route => ({ group: 'api', pattern: `${apiBasePath}${pattern}`, methods, authenticated: true });
const admin = (pattern: string, methods: Record<string, string>): Route => ({ group: 'admin', pattern: `${adminBasePath}${pattern}`, methods, authenticated: true });

/** The route table. */
export const routes: readonly Route[] = [
  api('/clusters', { GET: 'listClusters', POST: 'createCluster' }),
  api('/clusters/{clusterId}', { GET: 'getCluster', PUT: 'overwriteCluster', PATCH: 'updateCluster', DELETE: 'deleteCluster' }),
  api('/clusters/{clusterId}/history/{resourceVersion}', { GET: 'getClusterVersion' }),
  api('/clusters/{clusterId}/servers', { GET: 'listServers' }),
  api('/clusters/{clusterId}/servers/{serverId}', { GET: 'getServer' }),
  api('/clusters/{clusterId}/servers/{serverId}/restart', { POST: 'restartServer' }),
  { group: 'token', pattern: tokenPathPattern, methods: { POST: 'token' }, authenticated: false },
  { group: 'other', pattern: '/openapi.json', methods: { GET: 'getOpenApi' }, authenticated: false },
  { group: 'other', pattern: `${apiBasePath}/openapi.json`, methods: { GET: 'getOpenApi' }, authenticated: false },
  { group: 'other', pattern: '/healthz', methods: { GET: 'health' }, authenticated: false },
  admin('/requests', { GET: 'getRequests', DELETE: 'resetRequests' }),
  admin('/journal', { GET: 'getJournal', DELETE: 'clearJournal' }),
  admin('/faults', { GET: 'listFaults', POST: 'addFault', DELETE: 'clearFaults' }),
  admin('/faults/{faultId}', { DELETE: 'removeFault' }),
  admin('/config', { GET: 'getConfig', PUT: 'setConfig' }),
  admin('/reset', { POST: 'reset' }),
  admin('/clusters/{clusterId}/fail', { POST: 'failCluster' }),
];

/** Every Manager API operation name. */
export const apiOperations: readonly string[] = routes.filter((r) => r.group === 'api').flatMap((r) => Object.values(r.methods));

/** A route matched by path, with its decoded path parameters. */
export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** The route whose pattern matches `path`, or undefined. */
export function matchRoute(path: string): RouteMatch | undefined {
  const segments = path.split('/');
  for (const route of routes) {
    const parts = route.pattern.split('/');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = parts.every((part, i) => {
      const segment = segments[i] ?? '';
      if (!part.startsWith('{')) return part === segment;
      if (segment === '') return false;
      params[part.slice(1, -1)] = safeDecode(segment);
      return true;
    });
    if (ok) return { route, params };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
