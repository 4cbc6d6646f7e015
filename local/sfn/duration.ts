/**
 * Durations as people write them — `25h`, `90m`, `1d12h`, `30s`, `250ms` — for time travel
 * (`countersign executions advance --by 25h`, the wire operation) and the testing library's
 * `advance("24h")`. A number is milliseconds.
 */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;

/** A duration that is not one: names the value and shows the accepted form. */
export class DurationError extends Error {
  override name = "DurationError";
}

/** Milliseconds in `value` (a number of ms, or text such as `25h`, `1d12h`, `90m`, `500ms`). */
export function parseDuration(value: number | string, what = "duration"): number {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value >= 0) return value;
    throw new DurationError(`${what} must be a non-negative number of milliseconds, got ${value}`);
  }
  const text = value.trim();
  let total = 0;
  PART.lastIndex = 0;
  let end = 0;
  for (let m = PART.exec(text); m; m = PART.exec(text)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    end = PART.lastIndex;
  }
  if (text === "" || end !== text.length) {
    throw new DurationError(
      `${what} must be a duration such as 25h, 90m, 1d12h, 30s or 500ms (units ms, s, m, h, d, w), got '${value}'`,
    );
  }
  return Math.round(total);
}

/** `25h`, `1d 2h 3m`, `45s`: a short human form of `ms` for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(" ");
}
