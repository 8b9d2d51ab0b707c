// Public entry of the Manager API client: the seam, its errors, the HTTP implementation and its parts.
export type { CallOptions, ClusterPatch, ManagerApi, MergePatch, WriteOptions } from './manager-api.js';
export * from './errors.js';
export { HttpManagerApi, type HttpManagerApiOptions } from './http-manager-api.js';
export type { AuthProvider } from './auth/auth-provider.js';
export { StaticTokenAuth } from './auth/static-token-auth.js';
export { OAuthClientCredentialsAuth, type OAuthClientCredentialsAuthOptions } from './auth/oauth-client-credentials-auth.js';
export { RequestBudget, type RequestBudgetOptions } from './request-budget.js';
export { RetryPolicy, type RetryPolicyOptions } from './retry-policy.js';
export type { ManagerOperation, OnRequest, RequestObservation } from './request-observation.js';
export type { Sleep } from './abortable-sleep.js';
