import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../../../src/manager/error-from-response.js';
import {
  AlreadyExistsError,
  BadArgumentError,
  ForbiddenError,
  InvalidResponseError,
  NotFoundError,
  RateLimitedError,
  StateConflictError,
  UnauthorizedError,
  UnavailableError,
} from '../../../src/manager/errors.js';
import { redactorFor } from '../../../src/manager/redact-secrets.js';

const body = (code: string, message: string, details?: unknown[]) => JSON.stringify({ error: { code, message, ...(details ? { details } : {}) } });
const failed = (status: number, text: string, retryAfterMs?: number) => ({ method: 'PATCH', path: '/clusters/c1', status, body: text, retryAfterMs });

describe('errorFromResponse', () => {
  it.each([
    [401, 'Unauthorized', UnauthorizedError, 'Unauthorized'],
    [403, 'Unauthorized', ForbiddenError, 'Forbidden'],
    [404, 'NotFound', NotFoundError, 'NotFound'],
    [409, 'AlreadyExists', AlreadyExistsError, 'AlreadyExists'],
    [429, 'TooManyRequests', RateLimitedError, 'RateLimited'],
    [500, 'InternalError', UnavailableError, 'Unavailable'],
    [503, 'Unavailable', UnavailableError, 'Unavailable'],
  ] as const)('maps %i %s to %s', (status, code, type, stableCode) => {
    const error = errorFromResponse(failed(status, body(code, 'something')));
    expect(error).toBeInstanceOf(type);
    expect(error.code).toBe(stableCode);
    expect(error.status).toBe(status);
  });

  it('keeps the details of a 400', () => {
    const details = [
      { code: 'NullValue', target: 'metadata.name', message: 'Cluster name must not be null' },
      { code: 'MalformedValue', target: 'spec.deepStorage.path', message: 'Path is not a valid s3 path' },
    ];
    const error = errorFromResponse(failed(400, body('BadArgument', 'Request contains invalid arguments', details)));
    expect(error).toBeInstanceOf(BadArgumentError);
    expect((error as BadArgumentError).details).toEqual(details);
  });

  it('parses current and target state of a 409 StateConflict', () => {
    const error = errorFromResponse(failed(409, body('StateConflict', 'Cluster [c1] cannot transition from [UPDATING] to [STOPPED]')));
    expect(error).toBeInstanceOf(StateConflictError);
    expect(error).toMatchObject({ code: 'StateConflict', currentState: 'UPDATING', targetState: 'STOPPED' });
  });

  it('keeps a 409 with an unexpected message a StateConflict without states', () => {
    const error = errorFromResponse(failed(409, body('StateConflict', 'busy')));
    expect(error).toMatchObject({ code: 'StateConflict', currentState: undefined, targetState: undefined });
  });

  it('carries Retry-After on 429 and 503', () => {
    expect(errorFromResponse(failed(429, '', 2000))).toMatchObject({ code: 'RateLimited', retryAfterMs: 2000 });
    expect(errorFromResponse(failed(503, '', 1000))).toMatchObject({ code: 'Unavailable', retryAfterMs: 1000 });
    expect(errorFromResponse(failed(502, 'Bad Gateway'))).toMatchObject({ code: 'Unavailable', retryAfterMs: undefined });
  });

  it('maps by status even when the body is not the contract shape', () => {
    expect(errorFromResponse(failed(404, '<html>nope</html>')).code).toBe('NotFound');
    expect(errorFromResponse(failed(400, '{"error":"x"}'))).toMatchObject({ code: 'BadArgument', details: [] });
  });

  it('treats a status outside the contract as an invalid response', () => {
    const error = errorFromResponse(failed(418, ''));
    expect(error).toBeInstanceOf(InvalidResponseError);
  });

  it('names method, path, status, code and message', () => {
    const error = errorFromResponse(failed(404, body('NotFound', 'Cluster [c1] was not found')));
    expect(error.message).toBe('PATCH /clusters/c1: 404 NotFound: Cluster [c1] was not found');
  });

  it('redacts secrets the API echoes back', () => {
    const redact = redactorFor(['hunter2-password']);
    const details = [{ code: 'InvalidValue', target: 'spec.metadataStore.password', message: 'hunter2-password is too weak' }];
    const error = errorFromResponse(failed(400, body('BadArgument', 'bad hunter2-password', details)), redact) as BadArgumentError;
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain('hunter2-password');
  });
});
