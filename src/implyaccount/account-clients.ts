// One Manager API client per ImplyAccount: one token cache, one rate limiter, shared by every
// cluster of the account. A changed Secret or account spec builds a new client on next use; the
// budget outlives it, so rotating credentials never resets the account's rate limit.
import type { V1Secret } from '@kubernetes/client-node';
import { OAuthClientCredentialsAuth } from '../manager/auth/oauth-client-credentials-auth.js';
import { StaticTokenAuth } from '../manager/auth/static-token-auth.js';
import type { AuthProvider } from '../manager/auth/auth-provider.js';
import { HttpManagerApi } from '../manager/http-manager-api.js';
import type { ManagerApi } from '../manager/manager-api.js';
import { RequestBudget } from '../manager/request-budget.js';
import type { OnRequest } from '../manager/request-observation.js';
import { ReconcileBlockedError } from '../implycluster/failure-from.js';
import { credentialsSecretKeys, defaultBurst, defaultRequestsPerSecond, type ImplyAccount } from './implyaccount-resource.js';

/** Reads cached objects by `namespace/name`. */
export interface Lister<T> {
  get(key: string): T | undefined;
}

/** Options of {@link AccountClients}. */
export interface AccountClientsOptions {
  accounts: Lister<ImplyAccount>;
  secrets: Lister<V1Secret>;
  /** Builds the client of one account; default HttpManagerApi. Tests pass fakes. */
  clientFor?: (config: AccountClientConfig) => ManagerApi;
  /** Metrics hook passed to every client. */
  onRequest?: OnRequest;
  /** Per-request timeout in ms; default 30000. */
  timeoutMs?: number;
}

/** What a client is built from. */
export interface AccountClientConfig {
  /** `namespace/name` of the ImplyAccount. */
  account: string;
  baseUrl: string;
  auth: AuthProvider;
  budget: RequestBudget;
}

interface Entry {
  fingerprint: string;
  api: ManagerApi;
}

/** The ManagerApi of each ImplyAccount, built on first use and rebuilt when its inputs change. */
export class AccountClients {
  readonly #options: AccountClientsOptions;
  readonly #clients = new Map<string, Entry>();
  readonly #budgets = new Map<string, { fingerprint: string; budget: RequestBudget }>();

  constructor(options: AccountClientsOptions) {
    this.#options = options;
  }

  /**
   * The client for account `name` in `namespace`. Throws ReconcileBlockedError with code
   * AccountNotFound or CredentialsNotFound when the account or its Secret is missing or incomplete.
   */
  apiFor(namespace: string, name: string): ManagerApi {
    const key = `${namespace}/${name}`;
    const account = this.#options.accounts.get(key);
    if (account === undefined) throw new ReconcileBlockedError('AccountNotFound', `ImplyAccount ${name} not found`);
    const secretName = account.spec.credentialsSecretRef.name;
    const secret = this.#options.secrets.get(`${namespace}/${secretName}`);
    if (secret === undefined) throw new ReconcileBlockedError('CredentialsNotFound', `Secret ${secretName} not found`);
    const fingerprint = `${account.metadata.generation ?? 0}/${account.spec.url}/${secret.metadata?.resourceVersion ?? ''}`;
    const cached = this.#clients.get(key);
    if (cached?.fingerprint === fingerprint) return cached.api;
    const api = this.#build(key, account, authFrom(secret, secretName, { account: key, ...(this.#options.onRequest ? { onRequest: this.#options.onRequest } : {}) }));
    this.#clients.set(key, { fingerprint, api });
    return api;
  }

  /** Drops the client of a deleted account. */
  forget(namespace: string, name: string): void {
    this.#clients.delete(`${namespace}/${name}`);
    this.#budgets.delete(`${namespace}/${name}`);
  }

  #build(key: string, account: ImplyAccount, auth: AuthProvider): ManagerApi {
    const budget = this.#budgetFor(key, account);
    const config = { account: key, baseUrl: account.spec.url, auth, budget };
    if (this.#options.clientFor) return this.#options.clientFor(config);
    return new HttpManagerApi({
      ...config,
      ...(this.#options.onRequest ? { onRequest: this.#options.onRequest } : {}),
      ...(this.#options.timeoutMs !== undefined ? { timeoutMs: this.#options.timeoutMs } : {}),
    });
  }

  #budgetFor(key: string, account: ImplyAccount): RequestBudget {
    const ratePerSecond = account.spec.requestsPerSecond ?? defaultRequestsPerSecond;
    const burst = account.spec.burst ?? defaultBurst;
    const fingerprint = `${ratePerSecond}/${burst}`;
    const existing = this.#budgets.get(key);
    if (existing?.fingerprint === fingerprint) return existing.budget;
    const budget = new RequestBudget({ ratePerSecond, burst });
    this.#budgets.set(key, { fingerprint, budget });
    return budget;
  }
}

/** The auth provider a credentials Secret describes; `observe` labels its token requests for metrics. Never puts a secret value in an error. */
export function authFrom(secret: V1Secret, secretName: string, observe: { account?: string; onRequest?: OnRequest } = {}): AuthProvider {
  const value = (k: string) => {
    const raw = secret.data?.[k];
    if (raw !== undefined) return Buffer.from(raw, 'base64').toString('utf8').trim();
    return secret.stringData?.[k]?.trim();
  };
  const token = value(credentialsSecretKeys.token);
  if (token) return new StaticTokenAuth(token);
  const clientId = value(credentialsSecretKeys.clientId);
  const clientSecret = value(credentialsSecretKeys.clientSecret);
  const tokenUrl = value(credentialsSecretKeys.tokenUrl);
  if (clientId && clientSecret && tokenUrl) return new OAuthClientCredentialsAuth({ clientId, clientSecret, tokenUrl, ...observe });
  throw new ReconcileBlockedError(
    'CredentialsNotFound',
    `Secret ${secretName} has neither key token nor keys clientId, clientSecret and tokenUrl`,
  );
}
