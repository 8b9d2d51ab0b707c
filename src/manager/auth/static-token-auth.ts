import type { AuthProvider } from './auth-provider.js';

/** A fixed bearer token: never refreshed, so a 401 is final. */
export class StaticTokenAuth implements AuthProvider {
  readonly #header: string;

  /** `token` is the bare token, without the `Bearer ` prefix. */
  constructor(token: string) {
    if (token === '') throw new RangeError('token must not be empty');
    this.#header = `Bearer ${token}`;
  }

  /** Always the same header. */
  async authorization(): Promise<string> {
    return this.#header;
  }

  /** Nothing to refresh: a retry would send the same token. */
  invalidate(): boolean {
    return false;
  }
}
