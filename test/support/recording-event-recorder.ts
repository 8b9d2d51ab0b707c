// An EventRecorder for unit tests: keeps every emitted event in order.
import type { EventRecorder, EventSubject } from '../../src/kube/event-recorder.js';

/** One emitted event. */
export interface RecordedEvent {
  /** `namespace/name` of the subject. */
  key: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** Records events instead of sending them. */
export class RecordingEventRecorder implements EventRecorder {
  readonly events: RecordedEvent[] = [];

  async emit(subject: EventSubject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    this.events.push({ key: `${subject.metadata.namespace ?? ''}/${subject.metadata.name ?? ''}`, type, reason, message });
  }

  /** Reasons of the events emitted so far, in order. */
  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }

  /** Forgets the events emitted so far. */
  clear(): void {
    this.events.length = 0;
  }
}
