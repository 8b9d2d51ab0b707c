// metav1.Condition as a schema: the shape every Kubernetes tool (kubectl wait, kstatus, Argo CD)
// understands. Limits follow apimachinery's validation of the same fields.
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../schema/schema-kit.js';

/** Values of Condition.status. */
export const conditionStatuses = ['True', 'False', 'Unknown'] as const;
/** A value of Condition.status. */
export type ConditionStatus = (typeof conditionStatuses)[number];

/** metav1.Condition: one aspect of a resource's state, with the generation it was computed for. */
export const Condition = Type.Object(
  {
    type: Type.String({
      minLength: 1,
      maxLength: 316,
      pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
      description: 'Condition type in CamelCase, e.g. Ready, Synced, Reconciling, Stalled.',
    }),
    status: StringEnum(conditionStatuses, { description: 'True, False or Unknown.' }),
    observedGeneration: Type.Optional(
      Type.Integer({ minimum: 0, description: 'metadata.generation the condition was computed for.' }),
    ),
    lastTransitionTime: Type.String({ format: 'date-time', description: 'When status last changed.' }),
    reason: Type.String({
      minLength: 1,
      maxLength: 1024,
      pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
      description: 'Machine-readable CamelCase reason for the last transition.',
    }),
    message: Type.String({ maxLength: 32768, description: 'Human-readable details; may be empty.' }),
  },
  { additionalProperties: false, description: 'One condition of the resource (metav1.Condition).' },
);
/** metav1.Condition. */
export type Condition = Static<typeof Condition>;

/** The conditions list of a status: a list-map keyed by type (see `conditionsListMapKeys`). */
export const Conditions = Type.Array(Condition, {
  maxItems: 32,
  description: 'Current conditions of the resource, at most one per type.',
});

/** List-map keys of every `conditions` list: one condition per type. */
export const conditionsListMapKeys = ['type'] as const;
