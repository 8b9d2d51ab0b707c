// Builds an apiextensions.k8s.io/v1 CustomResourceDefinition from the spec and status schemas of a
// namespaced resource: one version, served and stored, with the status subresource.
import { Type, type TSchema } from '@sinclair/typebox';
import { crdSchemaFrom, type CelRule, type StructuralSchema } from './crd-from-schema.js';

/** A column of `kubectl get`. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description: string;
  priority?: number;
}

/** What `customResourceDefinition` needs to know about a resource. */
export interface CustomResourceOptions {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames?: readonly string[];
  categories?: readonly string[];
  /** Description of the resource as a whole (kubectl explain <kind>). */
  description: string;
  spec: TSchema;
  status: TSchema;
  /** CEL rules by path from the object root, e.g. `spec` or `spec.cluster.metadataStore`. */
  validations?: Record<string, readonly CelRule[]>;
  /** List-map keys by path of the array (default: arrays of objects keyed by a required `name`). */
  listMapKeys?: Record<string, readonly string[]>;
  printerColumns?: readonly PrinterColumn[];
}

/** An apiextensions.k8s.io/v1 CustomResourceDefinition as plain JSON (the shape written to YAML). */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[]; categories?: string[] };
    scope: 'Namespaced';
    versions: {
      name: string;
      served: true;
      storage: true;
      schema: { openAPIV3Schema: StructuralSchema };
      subresources: { status: Record<string, never> };
      additionalPrinterColumns?: PrinterColumn[];
    }[];
  };
}

// The apiserver owns metadata's schema: a CRD may say only `type: object` about it (no description).
function withMetadata(schema: StructuralSchema): StructuralSchema {
  const properties: Record<string, StructuralSchema> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    properties[name] = property;
    if (name === 'kind') properties['metadata'] = { type: 'object' };
  }
  return { ...schema, properties };
}

/** The CRD of a namespaced custom resource with a status subresource. */
export function customResourceDefinition(options: CustomResourceOptions): CustomResourceDefinition {
  const root = Type.Object(
    {
      apiVersion: Type.Optional(Type.String({ description: 'Versioned schema of this representation of an object.' })),
      kind: Type.Optional(Type.String({ description: 'REST resource this object represents.' })),
      spec: options.spec,
      status: Type.Optional(options.status),
    },
    { description: options.description },
  );
  const schemaOptions = {
    ...(options.validations === undefined ? {} : { validations: options.validations }),
    ...(options.listMapKeys === undefined ? {} : { listMapKeys: options.listMapKeys }),
  };
  const names: CustomResourceDefinition['spec']['names'] = {
    kind: options.kind,
    listKind: `${options.kind}List`,
    plural: options.plural,
    singular: options.singular,
  };
  if (options.shortNames !== undefined) names.shortNames = [...options.shortNames];
  if (options.categories !== undefined) names.categories = [...options.categories];
  const version: CustomResourceDefinition['spec']['versions'][number] = {
    name: options.version,
    served: true,
    storage: true,
    schema: { openAPIV3Schema: withMetadata(crdSchemaFrom(root, schemaOptions)) },
    subresources: { status: {} },
  };
  if (options.printerColumns !== undefined) version.additionalPrinterColumns = [...options.printerColumns];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${options.plural}.${options.group}` },
    spec: { group: options.group, names, scope: 'Namespaced', versions: [version] },
  };
}
