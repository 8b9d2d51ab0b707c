// Who may call the API: static tokens, OAuth2 clients and the short-lived tokens issued to them.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An OAuth2 client allowed to use the client-credentials grant. */
export interface OAuthClient {
  id: string;
  secret: string;
}

/** What a bearer token may do: `manage` holds the manage-clusters role, `none` only authenticates. */
export type TokenRole = 'manage' | 'none';

/** Options of a TokenAuthority. */
export interface TokenAuthorityOptions {
  /** Static tokens with the manage-clusters role. Default none. */
  tokens?: readonly string[];
  /** Static tokens without the role (every API call answers 403). Default none. */
  readonlyTokens?: readonly string[];
  /** OAuth2 clients; their tokens carry the manage-clusters role. Default none. */
  clients?: readonly OAuthClient[];
  /** Lifetime of issued tokens, in seconds (fractions allowed). Default 300. */
  tokenTtlSeconds?: number;
  /** Clock in epoch ms. Default Date.now. */
  now?: () => number;
}

/** A token issued by the client-credentials grant. */
export interface IssuedToken {
  accessToken: string;
  /** Whole seconds until expiry, as the token endpoint reports it. */
  expiresInSeconds: number;
}

const digestOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Checks bearer tokens and issues new ones. Tokens are kept and looked up only by their SHA-256
 * digest, and client secrets are compared in constant time, so timing reveals nothing about them.
 */
export class TokenAuthority {
  #tokens = new Map<string, { role: TokenRole; expiresAtMs: number }>();
  #clients: { id: string; secretDigest: Buffer }[];
  #now: () => number;
  /** Lifetime of tokens issued from now on, in seconds. */
  tokenTtlSeconds: number;

  constructor(options: TokenAuthorityOptions) {
    for (const t of options.tokens ?? []) this.#tokens.set(digestOf(t), { role: 'manage', expiresAtMs: Infinity });
    for (const t of options.readonlyTokens ?? []) this.#tokens.set(digestOf(t), { role: 'none', expiresAtMs: Infinity });
    this.#clients = (options.clients ?? []).map((c) => ({ id: c.id, secretDigest: createHash('sha256').update(c.secret).digest() }));
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 300;
    this.#now = options.now ?? Date.now;
  }

  /** The role of a bearer token, or undefined when it is unknown or expired. */
  roleOf(token: string): TokenRole | undefined {
    const entry = this.#tokens.get(digestOf(token));
    if (entry === undefined || entry.expiresAtMs <= this.#now()) return undefined;
    return entry.role;
  }

  /** A fresh token for valid client credentials, or undefined when they are wrong. */
  issue(clientId: string, secret: string): IssuedToken | undefined {
    const given = createHash('sha256').update(secret).digest();
    let valid = false;
    for (const c of this.#clients) valid = timingSafeEqual(c.secretDigest, given) && c.id === clientId ? true : valid;
    if (!valid) return undefined;
    this.#prune();
    const accessToken = randomBytes(32).toString('base64url');
    this.#tokens.set(digestOf(accessToken), { role: 'manage', expiresAtMs: this.#now() + this.tokenTtlSeconds * 1000 });
    return { accessToken, expiresInSeconds: Math.max(1, Math.ceil(this.tokenTtlSeconds)) };
  }

  #prune(): void {
    const now = this.#now();
    for (const [digest, entry] of this.#tokens) if (entry.expiresAtMs <= now) this.#tokens.delete(digest);
  }
}
