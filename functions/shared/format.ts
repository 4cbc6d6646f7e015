/**
 * The one way Countersign writes money and times for people — in emails, the pages approval links
 * open, the dashboard and the CLI — so an amount reads "3,056.00 EUR" everywhere (also in titles
 * the order saga builds with `$formatNumber(…, '#,##0.00')`), and a time "7 Dec 2026, 17:43 UTC".
 * Pure (no Node, no DOM): the dashboard imports it too. The locale is the reader's where it is
 * known (a browser's `navigator.language`, an order's `customer.locale`), otherwise en-US, so the
 * text does not change with the machine that renders it.
 */

/** The locale used when the reader's is not known. */
export const DEFAULT_LOCALE = "en-US";

/** A locale Intl accepts, or the default (an unknown tag must not break an email). */
function usable(locale: string | undefined): string {
  if (!locale) return DEFAULT_LOCALE;
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

/** "3,056.00 EUR" (en-US), "3.056,00 EUR" (de-DE): grouped, two decimals, the ISO code after. */
export function formatMoney(amount: number, currency: string, locale?: string): string {
  const number = new Intl.NumberFormat(usable(locale), {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount);
  return `${number} ${currency}`;
}

/**
 * "Dec 7, 2026, 5:43 PM UTC": date, time to the minute and the zone, in `timeZone` (UTC unless
 * the reader's zone is known). Text that is not a time is returned as it came.
 */
export function formatDateTime(
  iso: string | number,
  options: { locale?: string; timeZone?: string; seconds?: boolean } = {},
): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const format = (timeZone: string) =>
    new Intl.DateTimeFormat(usable(options.locale), {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      ...(options.seconds ? { second: "2-digit" } : {}),
      timeZone,
      timeZoneName: "short",
    }).format(date);
  try {
    return format(options.timeZone ?? "UTC");
  } catch {
    return format("UTC"); // an unknown zone name
  }
}
