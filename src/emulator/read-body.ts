// Reading request bodies with a size limit, and parsing them as JSON or forms.
import type { IncomingMessage } from 'node:http';
import { badBody, bodyTooLarge } from './api-error.js';

/** Largest accepted request body: 1 MiB. */
export const maxBodyBytes = 1024 * 1024;

/** The whole body; 413 when it exceeds `limitBytes` (the rest is read and discarded). */
export async function readBody(req: IncomingMessage, limitBytes = maxBodyBytes): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limitBytes) chunks.push(chunk);
  }
  if (size > limitBytes) throw bodyTooLarge(limitBytes);
  return Buffer.concat(chunks);
}

/** Media types a JSON write may carry; PATCH adds merge-patch. Absent Content-Type is accepted. */
export function isJsonMediaType(contentType: string | undefined, options: { mergePatch: boolean }): boolean {
  if (contentType === undefined || contentType === '') return true;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (options.mergePatch && type === 'application/merge-patch+json');
}

/** Parses a JSON body; 400 BadArgument (target "") when it is empty, malformed or of the wrong media type. */
export function parseJsonBody(raw: Buffer, contentType: string | undefined, options: { mergePatch: boolean }): unknown {
  if (!isJsonMediaType(contentType, options)) {
    const allowed = options.mergePatch ? 'application/json or application/merge-patch+json' : 'application/json';
    throw badBody('InvalidValue', `Content-Type must be ${allowed}`);
  }
  if (raw.length === 0) throw badBody('NullValue', 'Request body must not be empty');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw badBody('MalformedValue', 'Request body is not valid JSON');
  }
}
