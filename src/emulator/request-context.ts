// What a handler gets from the HTTP layer and what it gives back.
import type { IncomingHttpHeaders } from 'node:http';

/** One request, as handlers see it. */
export interface RequestContext {
  operation: string;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON (400/413 on failure); `mergePatch` also accepts application/merge-patch+json. */
  json(options?: { mergePatch: boolean }): Promise<unknown>;
  /** The raw body as text (413 when too large). */
  text(): Promise<string>;
}

/** A handler's answer; `body` undefined sends no body. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Serves one operation. Errors are thrown as ApiError. */
export type Handler = (ctx: RequestContext) => Promise<Reply> | Reply;

/** True when `?dryRun=true`. */
export function isDryRun(ctx: RequestContext): boolean {
  return ctx.query.get('dryRun') === 'true';
}
