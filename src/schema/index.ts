// The one schema source: TypeBox definitions of every Manager API object, their types, validators.
export * from './cluster-spec.js';
export * from './cluster.js';
export * from './validation.js';
export { lenient, StringEnum } from './schema-kit.js';
