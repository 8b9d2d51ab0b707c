// The HTTP layer: routing, faults, bearer auth, JSON answers, counting and one log line per request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { ApiError, forbidden, injectedFailure, methodNotAllowed, pathNotFound, unauthorized } from './api-error.js';
import type { FaultInjector } from './fault-injector.js';
import { parseJsonBody, readBody } from './read-body.js';
import type { RequestCounter } from './request-counter.js';
import type { RequestJournal } from './request-journal.js';
import type { Handler, Reply, RequestContext } from './request-context.js';
import { matchRoute, type RouteMatch } from './route-table.js';
import type { TokenAuthority } from './token-authority.js';

/** Parts of an EmulatorServer. */
export interface EmulatorServerOptions {
  /** Handlers by operation name; every operation of the route table must have one. */
  handlers: Record<string, Handler>;
  authority: TokenAuthority;
  faults: FaultInjector;
  counter: RequestCounter;
  journal: RequestJournal;
  logger: Logger;
}

const writeMethods = new Set(['POST', 'PUT', 'PATCH']);

const dropped = Symbol('dropped');

/** The emulator's HTTP server; `close()` stops accepting, finishes in-flight requests, then resolves. */
export class EmulatorServer {
  #server: Server;
  #options: EmulatorServerOptions;
  #inFlight = new Set<Promise<void>>();
  #closing = false;

  constructor(options: EmulatorServerOptions) {
    this.#options = options;
    this.#server = createServer((req, res) => {
      const work = this.#handle(req, res).finally(() => this.#inFlight.delete(work));
      this.#inFlight.add(work);
    });
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting connections, waits for in-flight requests, closes every connection. */
  async close(): Promise<void> {
    this.#closing = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const time = new Date().toISOString();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://emulator');
    const match = matchRoute(url.pathname);
    const group = match?.route.group ?? 'other';
    const operation = match?.route.methods[method] ?? 'unmatched';
    const body = lazyBody(req);
    let reply: Reply | typeof dropped;
    try {
      reply = await this.#dispatch(req, url, method, match, body);
    } catch (error) {
      reply = this.#replyForError(error, operation);
    }
    if (group === 'api') await this.#journal({ time, operation, method, url, reply, body });
    let status: number | 'dropped';
    if (reply === dropped) {
      req.socket.destroy();
      status = 'dropped';
    } else {
      status = reply.status;
      this.#send(res, reply, url.searchParams.get('pretty') === 'true');
    }
    this.#options.counter.record(group, operation, status);
    const durationMs = Math.round((performance.now() - startedAt) * 100) / 100;
    const fields = { method, path: url.pathname, operation, status, durationMs };
    if (group === 'admin' || group === 'other') this.#options.logger.debug(fields, 'request');
    else this.#options.logger.info(fields, 'request');
  }

  /** Records a Manager API request; reads the body if the handler did not (a fault or auth answer), so the journal shows what was sent. */
  async #journal(request: { time: string; operation: string; method: string; url: URL; reply: Reply | typeof dropped; body: () => Promise<Buffer> }): Promise<void> {
    const { time, operation, method, url, reply } = request;
    const rawBody = reply === dropped || !writeMethods.has(method) ? undefined : await request.body().catch(() => undefined);
    const query = url.search.slice(1);
    this.#options.journal.record({
      time, operation, method, path: url.pathname, status: reply === dropped ? 'dropped' : reply.status,
      ...(query === '' ? {} : { query }), ...(rawBody === undefined ? {} : { rawBody }),
    });
  }

  async #dispatch(req: IncomingMessage, url: URL, method: string, match: RouteMatch | undefined, body: () => Promise<Buffer>): Promise<Reply | typeof dropped> {
    if (match === undefined) throw pathNotFound(url.pathname);
    const operation = match.route.methods[method];
    if (operation === undefined) throw methodNotAllowed(method, Object.keys(match.route.methods));
    if (match.route.group === 'api' || match.route.group === 'token') {
      // The request is whole before any fault, as at a slow server: a client that gives up during a
      // latency fault does not undo its write, which still runs after the delay.
      if (writeMethods.has(method)) await body().catch(() => undefined);
      const outcome = await this.#injectFaults(operation, match.params['clusterId']);
      if (outcome !== undefined) return outcome;
    }
    if (match.route.authenticated) this.#authenticate(req);
    const handler = this.#options.handlers[operation];
    if (handler === undefined) throw new Error(`no handler for operation ${operation}`);
    return handler(contextFor(req, url, operation, match.params, body));
  }

  /** Latency first (then the request goes on), then a dropped connection, then an error answer. */
  async #injectFaults(operation: string, clusterId: string | undefined): Promise<typeof dropped | undefined> {
    const { faults } = this.#options;
    const latency = faults.take('latency', operation, clusterId);
    if (latency !== undefined) await sleep(latency.latencyMs ?? 1000);
    if (faults.take('drop', operation, clusterId) !== undefined) return dropped;
    const error = faults.take('error', operation, clusterId);
    if (error !== undefined) {
      const status = error.status ?? 503;
      throw injectedFailure(status, error.retryAfterSeconds ?? (status === 429 ? 1 : undefined));
    }
    return undefined;
  }

  #authenticate(req: IncomingMessage): void {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const role = match?.[1] === undefined ? undefined : this.#options.authority.roleOf(match[1]);
    if (role === undefined) throw unauthorized();
    if (role !== 'manage') throw forbidden();
  }

  #replyForError(error: unknown, operation: string): Reply {
    if (error instanceof ApiError) return { status: error.status, body: error.body(), headers: error.headers };
    this.#options.logger.error({ err: error, operation }, 'request failed');
    return { status: 500, body: { error: { code: 'InternalError', message: 'Internal error' } } };
  }

  #send(res: ServerResponse, reply: Reply, pretty: boolean): void {
    const headers: Record<string, string> = { ...reply.headers };
    if (this.#closing) headers['Connection'] = 'close';
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
      return;
    }
    const text = JSON.stringify(reply.body, null, pretty ? 2 : undefined);
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(text));
    res.writeHead(reply.status, headers).end(text);
  }
}

/** The request body, read once on first use (413 past the limit). */
function lazyBody(req: IncomingMessage): () => Promise<Buffer> {
  let body: Promise<Buffer> | undefined;
  return () => (body ??= readBody(req));
}

function contextFor(req: IncomingMessage, url: URL, operation: string, params: Record<string, string>, raw: () => Promise<Buffer>): RequestContext {
  return {
    operation,
    params,
    query: url.searchParams,
    headers: req.headers,
    json: async (options = { mergePatch: false }) => parseJsonBody(await raw(), req.headers['content-type'], options),
    text: async () => (await raw()).toString('utf8'),
  };
}
