// Response bodies are checked against the shared schemas (leniently: unknown fields pass and are kept),
// so a contract violation surfaces as InvalidResponseError naming the field, not as a crash deeper in.
import { Type, type TSchema } from '@sinclair/typebox';
import type { ErrorObject, ValidateFunction } from 'ajv';
import {
  ClusterSpec,
  ClusterStatus,
  HistoricalCluster,
  ObjectMeta,
  Server,
  lenient,
  targetFrom,
  validatorFor,
  type ObservedCluster,
} from '../schema/index.js';
import { InvalidResponseError } from './errors.js';

/** A Cluster as returned by the API: uid, creationTimestamp and status required. */
const ObservedClusterSchema = Type.Object({ metadata: Type.Required(ObjectMeta), spec: ClusterSpec, status: ClusterStatus });

const compiled = <T>(schema: TSchema): ValidateFunction<T> => validatorFor<T>(lenient(schema));

/** Validators of every response body the client reads. */
export const responseValidators = {
  cluster: compiled<ObservedCluster>(ObservedClusterSchema),
  clusters: compiled<ObservedCluster[]>(Type.Array(ObservedClusterSchema)),
  historicalCluster: compiled<HistoricalCluster>(HistoricalCluster),
  server: compiled<Server>(Server),
  servers: compiled<Server[]>(Type.Array(Server)),
};

/** Where a response came from, for the error message. */
export interface ResponseContext {
  method: string;
  path: string;
  status: number;
}

/** `body` typed as T when it satisfies the validator; InvalidResponseError naming the first bad field otherwise. */
export function validatedResponse<T>(validate: ValidateFunction<T>, body: unknown, context: ResponseContext): T {
  if (validate(body)) return body;
  const first = validate.errors?.[0];
  const field = first === undefined ? undefined : fieldOf(first);
  // The value itself is left out: the message names the field and the rule only.
  const rule = first?.message ?? 'is invalid';
  const where = field === undefined || field === '' ? 'the body' : field;
  throw new InvalidResponseError(`${context.method} ${context.path}: ${context.status} response violates the contract at ${where}: ${rule}`, field, {
    status: context.status,
  });
}

function fieldOf(error: ErrorObject): string {
  if (error.keyword === 'required') return targetFrom(error.instancePath, (error.params as { missingProperty: string }).missingProperty);
  return targetFrom(error.instancePath);
}
