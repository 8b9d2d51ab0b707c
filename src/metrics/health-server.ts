// The operator's HTTP endpoints, laid out like controller-runtime's manager: /metrics on the metrics
// address (default :8080) and /healthz and /readyz on the probe address (default :8081). Equal
// addresses share one listener; "0" turns an address off.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';

/** What /metrics serves: prom-client's Registry fits. */
export interface MetricsSource {
  /** Content-Type of the exposition, e.g. `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
  /** Renders every metric in the exposition format. */
  metrics(): Promise<string>;
}

/** Options of startHealthServer. */
export interface HealthServerOptions {
  /** Metrics registry behind /metrics (OperatorMetrics.registry). */
  metrics: MetricsSource;
  /** `host:port` for /metrics (`:8080` = every interface); `0` disables it. Default `:8080`. */
  metricsBindAddress?: string;
  /** `host:port` for /healthz and /readyz; `0` disables them; equal to the metrics address = one listener. Default `:8081`. */
  healthProbeBindAddress?: string;
  /** /readyz answers 200 only while this returns true. Default always true. */
  isReady?: () => boolean;
  /** /healthz answers 200 while this returns true (a blocked event loop fails it by not answering). Default always true. */
  isAlive?: () => boolean;
  /** Logger for listen addresses and scrape failures. Default silent. */
  logger?: Logger;
}

/** Running listeners; URLs use the actually bound ports (useful with port 0). */
export interface HealthServer {
  /** Base URL serving /metrics, e.g. `http://127.0.0.1:8080`; undefined when disabled. */
  readonly metricsUrl: string | undefined;
  /** Base URL serving /healthz and /readyz; undefined when disabled. */
  readonly probesUrl: string | undefined;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

type Route = (response: ServerResponse) => Promise<void> | void;

/** Parses `host:port`, `:port` or `[v6]:port`; undefined for `0` (disabled). Throws on anything else. */
export function bindAddressFrom(text: string): { host: string | undefined; port: number } | undefined {
  if (text === '0') return undefined;
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (match === null || !(port >= 0 && port <= 65_535)) throw new Error(`bind address must be host:port, :port or 0, got ${JSON.stringify(text)}`);
  const host = match[1] ?? match[2];
  return { host: host === '' || host === undefined ? undefined : host, port };
}

/** Starts the listeners; resolves once they are bound. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const log = options.logger ?? pino({ enabled: false });
  const isReady = options.isReady ?? (() => true);
  const isAlive = options.isAlive ?? (() => true);
  const metricsRoutes: Record<string, Route> = {
    '/metrics': async (response) => {
      try {
        const body = await options.metrics.metrics();
        response.writeHead(200, { 'content-type': options.metrics.contentType }).end(body);
      } catch (error) {
        log.error({ err: error }, 'cannot render metrics');
        response.writeHead(500, { 'content-type': 'text/plain' }).end('cannot render metrics\n');
      }
    },
  };
  const probeRoutes: Record<string, Route> = {
    '/healthz': (response) => answer(response, isAlive(), 'healthz'),
    '/readyz': (response) => answer(response, isReady(), 'readyz'),
  };
  const metricsAt = options.metricsBindAddress ?? ':8080';
  const probesAt = options.healthProbeBindAddress ?? ':8081';
  const listeners: { address: string; routes: Record<string, Route> }[] = [];
  if (metricsAt === probesAt) listeners.push({ address: metricsAt, routes: { ...metricsRoutes, ...probeRoutes } });
  else listeners.push({ address: metricsAt, routes: metricsRoutes }, { address: probesAt, routes: probeRoutes });

  const servers: Server[] = [];
  const urls = new Map<string, string>();
  try {
    for (const { address, routes } of listeners) {
      const bind = bindAddressFrom(address);
      if (bind === undefined) continue;
      const server = createServer((request, response) => void serve(routes, request, response));
      servers.push(server);
      urls.set(address, await listen(server, bind));
      log.info({ url: urls.get(address), paths: Object.keys(routes) }, 'health server listening');
    }
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw new Error('cannot start health server', { cause: error });
  }
  return {
    metricsUrl: urls.get(metricsAt),
    probesUrl: urls.get(probesAt),
    close: async () => {
      await Promise.all(servers.map(closeServer));
    },
  };
}

async function serve(routes: Record<string, Route>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const route = routes[path];
  if (route === undefined) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  } else if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }).end('method not allowed\n');
  } else {
    await route(response);
  }
}

function answer(response: ServerResponse, isOk: boolean, check: string): void {
  response.writeHead(isOk ? 200 : 500, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end(isOk ? 'ok\n' : `${check} check failed\n`);
}

function listen(server: Server, bind: { host: string | undefined; port: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(bind.port, bind.host, () => {
      server.off('error', reject);
      const { address, family, port } = server.address() as AddressInfo;
      const host = bind.host === undefined ? '127.0.0.1' : family === 'IPv6' ? `[${address}]` : address;
      resolve(`http://${host}:${port}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
