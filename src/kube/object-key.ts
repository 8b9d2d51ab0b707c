// Work-queue keys for Kubernetes objects: `namespace/name`, or `name` for cluster-scoped objects,
// as client-go's MetaNamespaceKeyFunc and SplitMetaNamespaceKey.

/** The parts of an object key; `namespace` is '' for cluster-scoped objects. */
export interface ObjectKeyParts {
  readonly namespace: string;
  readonly name: string;
}

/** Something with Kubernetes object metadata. */
export interface ObjectWithMetadata {
  readonly metadata?: { readonly namespace?: string; readonly name?: string };
}

/** A key that cannot be parsed, or an object without a name. */
export class ObjectKeyError extends Error {
  /** Stable code. */
  readonly code = 'InvalidObjectKey';

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The key of `obj`: `namespace/name`, or `name` without a namespace. Throws ObjectKeyError without a name. */
export function keyOf(obj: ObjectWithMetadata): string {
  const name = obj.metadata?.name;
  if (name === undefined || name === '') throw new ObjectKeyError('object has no metadata.name');
  const namespace = obj.metadata?.namespace;
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

/** Splits a key made by keyOf; throws ObjectKeyError for empty names or more than one `/`. */
export function parseKey(key: string): ObjectKeyParts {
  const parts = key.split('/');
  if (parts.length === 1 && parts[0] !== '') return { namespace: '', name: key };
  const [namespace, name] = parts;
  if (parts.length !== 2 || namespace === undefined || namespace === '' || name === undefined || name === '') {
    throw new ObjectKeyError('object key must be "namespace/name" or "name"');
  }
  return { namespace, name };
}
