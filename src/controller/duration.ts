// Durations as people write them in flags and annotations: `1500ms`, `90s`, `5m`, `1h`, or plain seconds.

/** Milliseconds of a duration like `1500ms`, `90s`, `5m`, `1h` or `30` (seconds); undefined when invalid. */
export function durationMsFrom(text: string | undefined): number | undefined {
  const match = text?.trim().match(/^(\d+(?:\.\d+)?)(ms|s|m|h)?$/);
  if (!match) return undefined;
  const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000;
  return Math.round(Number(match[1]) * unitMs);
}
