// An error no retry can fix (invalid spec, say): recorded, and the key waits for its next change.

/** Thrown by a reconciler when retrying cannot help; `code` is stable, for tests and conditions. */
export class TerminalError extends Error {
  /** Stable, machine-readable reason chosen by the thrower (e.g. `InvalidSpec`). */
  readonly code: string;

  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}
