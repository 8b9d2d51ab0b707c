// Turns a request body into a validated ConfigurationInput, or a 400 with the documented details.
import { clusterRequestProblems, type ClusterSpec, type ErrorDetail } from '../schema/index.js';
import { badArgument } from './api-error.js';
import { isJsonObject } from './merge-patch.js';
import type { ConfigurationInput } from './public-configuration.js';
import type { ReleaseCatalog } from './release-catalog.js';

/**
 * Validates a Cluster body (create, PUT, or a merged PATCH). `status` is ignored; `metadata.uid`, if
 * given, must equal `pathUid` (and is refused on create, where `pathUid` is undefined);
 * `spec.version` must be offered by `releases`.
 */
export function configurationInputFrom(body: unknown, pathUid: string | undefined, releases: ReleaseCatalog): ConfigurationInput {
  const cleaned = isJsonObject(body) ? withoutStatus(body) : body;
  const structural = clusterRequestProblems(cleaned);
  // A malformed version is reported once, by the schema; only a well-formed one is looked up.
  const versionProblems = structural.some((p) => p.target === 'spec.version') ? [] : releases.problemsOf(cleaned);
  const problems = [...structural, ...versionProblems, ...uidProblems(cleaned, pathUid)];
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
