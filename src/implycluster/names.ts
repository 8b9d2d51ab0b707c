// The names of ImplyCluster's API and of the annotations, finalizer and tags the controller uses.
// They are the user-facing contract of shared/docs/product.md: change one only with a written reason.

/** API group of every custom resource of this project. */
export const group = 'cloud.imply.io';
/** The one served and stored API version. */
export const version = 'v1alpha1';
/** `apiVersion` of this project's resources. */
export const apiVersion = `${group}/${version}`;

/** Kind of the ImplyCluster resource. */
export const implyClusterKind = 'ImplyCluster';
/** Plural (URL) name of ImplyCluster. */
export const implyClusterPlural = 'implyclusters';
/** Singular name of ImplyCluster. */
export const implyClusterSingular = 'implycluster';
/** Short names of ImplyCluster (`kubectl get ic`). */
export const implyClusterShortNames = ['ic'] as const;

/** Kind of the ImplyAccount resource. */
export const implyAccountKind = 'ImplyAccount';
/** Plural (URL) name of ImplyAccount. */
export const implyAccountPlural = 'implyaccounts';
/** Singular name of ImplyAccount. */
export const implyAccountSingular = 'implyaccount';

/** Category shared by both resources (`kubectl get imply`). */
export const category = 'imply';

/** Annotation holding the Imply cluster id; set by the controller after create, or by a user to adopt. */
export const clusterIdAnnotation = 'cloud.imply.io/cluster-id';
/** Annotation overriding the slow poll interval of a stable cluster (a duration, e.g. `5m`). */
export const pollIntervalAnnotation = 'cloud.imply.io/poll-interval';
/** Annotation that stops all writes when `"true"`. */
export const pausedAnnotation = 'cloud.imply.io/paused';
/** Annotation that lets a user release a resource whose deletion cannot complete. */
export const releaseAnnotation = 'cloud.imply.io/release';
/** Finalizer holding a resource until its Imply cluster is deleted or released. */
export const finalizer = 'cloud.imply.io/finalizer';
/** `awsTags` name whose value is the owning resource's UID. */
export const ownerTagName = 'imply-operator/owner';

/** Account an ImplyCluster uses when `spec.accountRef` is omitted. */
export const defaultAccountName = 'default';
