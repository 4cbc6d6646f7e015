/**
 * Formatting for people: money, times, durations. Pure; `now` is passed in. Money and times go
 * through the one format module the emails and pages use (functions/shared/format.ts), in the
 * reader's locale and zone.
 */
import {
  formatDateTime as sharedDateTime,
  formatMoney as sharedMoney,
} from "../../functions/shared/format.ts";

/** The reader's locale (the browser's), when there is one. */
function readerLocale(): string | undefined {
  return typeof navigator === "undefined" ? undefined : navigator.language;
}

/** The reader's time zone. */
function readerZone(): string | undefined {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "1,250.00 USD" — as in the emails and the request titles; the API sends decimal amounts. */
export function formatMoney(amount: number, currency: string, locale?: string): string {
  return sharedMoney(amount, currency, locale ?? readerLocale());
}

/** "2 h 5 min", "45 s", "3 d 4 h" — the two largest units. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const units: Array<[string, number]> = [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
    ["s", 1],
  ];
  const parts: string[] = [];
  let rest = total;
  for (const [unit, size] of units) {
    const value = Math.floor(rest / size);
    rest -= value * size;
    if (value > 0 || (parts.length === 0 && unit === "s")) parts.push(`${value} ${unit}`);
    if (parts.length === 2) break;
    if (parts.length === 1 && value === 0) break;
  }
  return parts.join(" ");
}

/** "expires in 5 h 3 min", or "expired 2 min ago". */
export function timeLeft(
  expiresAt: string,
  now: number,
): { text: string; expired: boolean; urgent: boolean } {
  const left = Date.parse(expiresAt) - now;
  if (Number.isNaN(left)) return { text: "no deadline", expired: false, urgent: false };
  if (left <= 0)
    return { text: `expired ${formatDuration(-left)} ago`, expired: true, urgent: false };
  return { text: `${formatDuration(left)} left`, expired: false, urgent: left < 3_600_000 };
}

/** "5 min ago", "in 3 h", "just now". */
export function relativeTime(iso: string, now: number): string {
  const delta = Date.parse(iso) - now;
  if (Number.isNaN(delta)) return "";
  if (Math.abs(delta) < 5_000) return "just now";
  // One unit is enough for "when": "25 min ago", not "25 min 37 s ago".
  const span = formatDuration(Math.abs(delta)).split(" ").slice(0, 2).join(" ");
  return delta < 0 ? `${span} ago` : `in ${span}`;
}

/** "Nov 26, 2026, 12:05:09 PM CET": the reader's locale and zone, with the zone's name. */
export function formatDateTime(iso: string | number, locale?: string, timeZone?: string): string {
  const zone = timeZone ?? readerZone();
  return sharedDateTime(iso, {
    seconds: true,
    ...((locale ?? readerLocale()) ? { locale: locale ?? readerLocale() } : {}),
    ...(zone ? { timeZone: zone } : {}),
  });
}

/** Pretty JSON from a JSON string or value; returns strings that are not JSON unchanged. */
export function prettyJson(value: unknown): string {
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2) ?? "";
}

/** The last segment of an execution ARN (its name). */
export function executionName(arn: string): string {
  return arn.split(":").at(-1) ?? arn;
}
