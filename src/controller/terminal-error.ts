// An error no retry can fix (invalid spec, say): recorded, and the key waits for its next change.
import { CodedError } from './coded-error.js';

/** Thrown by a reconciler when retrying cannot help; `code` is a stable reason chosen by the thrower (e.g. `InvalidSpec`). */
export class TerminalError extends CodedError<string> {}
