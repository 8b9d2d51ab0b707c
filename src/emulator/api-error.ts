// The emulator's catalogue of API errors: each carries the HTTP status and the documented body.
import type { ClusterState, ErrorBody, ErrorDetail } from '../schema/index.js';

/** An error answered as `{"error":{code,message,details?}}` with `status`; `code` is the body's error.code. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[] | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, options: { details?: ErrorDetail[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  /** The documented error body. Key order matters: bodies are compared byte for byte. */
  body(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

const unauthorizedMessage = 'Provided user does not have permissions to complete this request';

/** 400 with one detail per problem. */
export function badArgument(details: ErrorDetail[]): ApiError {
  return new ApiError(400, 'BadArgument', 'Request contains invalid arguments', { details });
}

/** 400 about the request body as a whole (target ""). */
export function badBody(code: string, message: string): ApiError {
  return badArgument([{ code, target: '', message }]);
}

/** 413: body over the limit. */
export function bodyTooLarge(limitBytes: number): ApiError {
  return new ApiError(413, 'BadArgument', 'Request contains invalid arguments', {
    details: [{ code: 'OutOfRange', target: '', message: `Request body must not exceed ${limitBytes} bytes` }],
  });
}

/** 401: no, unknown or expired token. */
export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', unauthorizedMessage, { headers: { 'WWW-Authenticate': 'Bearer' } });
}

/** 403: a valid token without the manage-clusters role. */
export function forbidden(): ApiError {
  return new ApiError(403, 'Unauthorized', unauthorizedMessage);
}

/** 404 for an unknown cluster. */
export function clusterNotFound(clusterId: string): ApiError {
  return new ApiError(404, 'NotFound', `Cluster [${clusterId}] was not found`);
}

/** 404 for an unknown configuration version. */
export function versionNotFound(clusterId: string, resourceVersion: string): ApiError {
  return new ApiError(404, 'NotFound', `Cluster [${clusterId}] resource version [${resourceVersion}] was not found`);
}

/** 404 for an unknown server of a known cluster. */
export function serverNotFound(clusterId: string, serverId: string): ApiError {
  return new ApiError(404, 'NotFound', `Server [${serverId}] of cluster [${clusterId}] was not found`);
}

/** 404 for a path the emulator does not serve. */
export function pathNotFound(path: string): ApiError {
  return new ApiError(404, 'NotFound', `Path [${path}] was not found`);
}

/** 405 with the Allow header listing what the path accepts. */
export function methodNotAllowed(method: string, allowed: string[]): ApiError {
  return new ApiError(405, 'MethodNotAllowed', `Method [${method}] is not allowed here`, { headers: { Allow: allowed.join(', ') } });
}

/** 409: the cluster's state forbids the transition the request needs. */
export function stateConflict(clusterId: string, from: ClusterState, to: ClusterState | 'TERMINATED'): ApiError {
  return new ApiError(409, 'StateConflict', `Cluster [${clusterId}] cannot transition from [${from}] to [${to}]`);
}

/** 409: another cluster has this name. */
export function alreadyExists(name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `Cluster with name [${name}] already exists`);
}

/** An injected 429 or 5xx; `retryAfterSeconds` adds a Retry-After header. */
export function injectedFailure(status: number, retryAfterSeconds: number | undefined): ApiError {
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) };
  if (status === 429) return new ApiError(429, 'TooManyRequests', 'Too many requests', { headers });
  const code = status === 503 ? 'Unavailable' : 'InternalError';
  return new ApiError(status, code, status === 503 ? 'Service unavailable' : 'Internal error', { headers });
}
