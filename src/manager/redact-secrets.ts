// Secrets (tokens, client secrets, passwords) must never reach an error message or a log line.

/** A function that replaces every known secret in a text by `[redacted]`. */
export type Redact = (text: string) => string;

/** Builds a {@link Redact} for the given secrets; empty and very short values are ignored. */
export function redactorFor(secrets: readonly (string | undefined)[]): Redact {
  // Very short "secrets" would mangle ordinary words; real tokens and passwords are longer.
  const values = secrets.filter((s): s is string => s !== undefined && s.length >= 4);
  if (values.length === 0) return (text) => text;
  return (text) => values.reduce((acc, secret) => acc.split(secret).join('[redacted]'), text);
}
