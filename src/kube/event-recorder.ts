// Kubernetes Events about a resource, as `kubectl describe` shows them. Callers emit on transitions
// only, so no aggregation is needed; a failure to record an event never fails a reconcile.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';

/** The object an event is about. */
export interface EventSubject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

/** Records events. */
export interface EventRecorder {
  /** Emits one event; `type` Normal or Warning; `reason` CamelCase; `message` short, no secrets. */
  emit(subject: EventSubject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void>;
}

/** Records events through the core/v1 Events API. */
export class KubeEventRecorder implements EventRecorder {
  readonly #api: CoreV1Api;
  readonly #component: string;
  readonly #log: Logger;

  constructor(kubeConfig: KubeConfig, options: { component?: string; log: Logger }) {
    this.#api = kubeConfig.makeApiClient(CoreV1Api);
    this.#component = options.component ?? 'imply-operator';
    this.#log = options.log;
  }

  async emit(subject: EventSubject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const namespace = subject.metadata.namespace ?? 'default';
    const now = new Date();
    try {
      await this.#api.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name: `${subject.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
          involvedObject: { apiVersion: subject.apiVersion, kind: subject.kind, namespace, ...identityOf(subject) },
          type,
          reason,
          message,
          source: { component: this.#component },
          reportingComponent: this.#component,
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        },
      });
    } catch (error) {
      this.#log.warn({ err: error, reason }, 'cannot record event');
    }
  }
}

function identityOf({ metadata: m }: EventSubject): { name?: string; uid?: string; resourceVersion?: string } {
  return {
    ...(m.name === undefined ? {} : { name: m.name }),
    ...(m.uid === undefined ? {} : { uid: m.uid }),
    ...(m.resourceVersion === undefined ? {} : { resourceVersion: m.resourceVersion }),
  };
}
