// Turns a request body into a validated ConfigurationInput, or a 400 with the documented details.
import { clusterRequestProblems, type ClusterSpec, type ErrorDetail } from '../schema/index.js';
import { badArgument } from './api-error.js';
import { isJsonObject } from './merge-patch.js';
import type { ConfigurationInput } from './public-configuration.js';

/**
 * Validates a Cluster body (create, PUT, or a merged PATCH). `status` is ignored; `metadata.uid`, if
 * given, must equal `pathUid` (and is refused on create, where `pathUid` is undefined).
 */
export function configurationInputFrom(body: unknown, pathUid: string | undefined): ConfigurationInput {
  const cleaned = isJsonObject(body) ? withoutStatus(body) : body;
  const problems = [...clusterRequestProblems(cleaned), ...uidProblems(cleaned, pathUid)];
  if (problems.length > 0) throw badArgument(problems);
  const { metadata, spec } = cleaned as { metadata: { name: string }; spec: ClusterSpec };
  const password = spec.metadataStore?.password;
  return { name: metadata.name, spec, password: password === undefined ? { kind: 'keep' } : { kind: 'set', password } };
}

function withoutStatus(body: Record<string, unknown>): Record<string, unknown> {
  const { status: _ignored, ...rest } = body;
  return rest;
}

function uidProblems(body: unknown, pathUid: string | undefined): ErrorDetail[] {
  const metadata = isJsonObject(body) ? body['metadata'] : undefined;
  const uid = isJsonObject(metadata) ? metadata['uid'] : undefined;
  if (uid === undefined || uid === pathUid) return [];
  const message = pathUid === undefined ? 'metadata.uid is assigned by the server' : 'metadata.uid must match the cluster id in the path';
  return [{ code: 'Immutable', target: 'metadata.uid', message }];
}
