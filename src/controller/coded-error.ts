// The shape of every error catalogue in this project: a stable `code` for callers and tests to
// branch on, a message for people, and the class name as `name`.

/** An error with a stable `code`; subclasses fix the code type. */
export class CodedError<C extends string> extends Error {
  /** Stable identifier of the failure. */
  readonly code: C;

  constructor(code: C, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
