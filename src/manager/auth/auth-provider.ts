// Where the client gets its Authorization header from.

/** Supplies the Authorization header of Manager API requests. */
export interface AuthProvider {
  /** The header value (`Bearer …`) for the next request; may fetch a token. Rejects with a ManagerApiError. */
  authorization(signal?: AbortSignal): Promise<string>;
  /**
   * Called after a 401 answered `rejected` (a value this provider returned): forget it if still cached.
   * Returns whether asking again can give a different credential, i.e. whether one retry makes sense.
   */
  invalidate(rejected: string): boolean;
}
