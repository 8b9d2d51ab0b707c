// Writes an ImplyCluster's status: the cluster id right after create (crash safety), and after each
// pass the full status, only when something other than lastSyncTime changed.
import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../controller/clock.js';
import { mergeConditions, rfc3339 } from '../kube/conditions.js';
import type { ResourceWriter } from '../kube/custom-resource-client.js';
import { writeStatus } from '../kube/status-writer.js';
import type { PassResult } from './cluster-pass.js';
import { clusterStatusFrom } from './cluster-status-from.js';
import { clusterIdAnnotation, type ImplyCluster, type ImplyClusterStatus } from './implycluster-resource.js';
import { statusFor } from './status-for.js';

/** Status writes of the ImplyCluster reconciler. */
export class StatusRecorder {
  readonly #client: ResourceWriter<ImplyCluster>;
  readonly #clock: Clock;

  constructor(client: ResourceWriter<ImplyCluster>, clock: Clock) {
    this.#client = client;
    this.#clock = clock;
  }

  /** Records the Imply cluster id in status and in the cluster-id annotation, at once. */
  async recordClusterId(resource: ImplyCluster, clusterId: string): Promise<void> {
    const { namespace = '', name = '' } = resource.metadata;
    await this.#client.patchStatus(namespace, name, { clusterId });
    if (resource.metadata.annotations?.[clusterIdAnnotation] !== clusterId) {
      await this.#client.patchMetadata(namespace, name, { annotations: { [clusterIdAnnotation]: clusterId } }, undefined);
    }
    resource.status = { ...resource.status, clusterId };
  }

  /** Writes the status a pass implies, when it differs from the current one. */
  async write(resource: ImplyCluster, pass: PassResult): Promise<void> {
    const previous = resource.status ?? {};
    const generation = resource.metadata.generation ?? 0;
    const now = new Date(this.#clock.now());
    const applied = (pass.sent !== undefined && pass.sent !== 'delete') || pass.outcome.plan === 'none' ? generation : undefined;
    const passwordSecretVersion = pass.sentPasswordVersion ?? previous.passwordSecretVersion;
    const next: ImplyClusterStatus = {
      ...clusterStatusFrom({ previous, cluster: pass.outcome.cluster, servers: pass.servers, appliedGeneration: applied, drift: pass.drift, now: rfc3339(now) }),
      observedGeneration: generation,
      ...(passwordSecretVersion === undefined ? {} : { passwordSecretVersion }),
      conditions: mergeConditions(previous.conditions, statusFor(pass.outcome), now),
    };
    const { lastSyncTime: _ignored, ...comparable } = previous;
    if (isDeepStrictEqual(JSON.parse(JSON.stringify(comparable)), JSON.parse(JSON.stringify(next)))) return;
    next.lastSyncTime = rfc3339(now);
    await writeStatus(this.#client, resource, previous, next);
  }
}
