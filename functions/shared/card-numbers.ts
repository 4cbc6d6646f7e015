/**
 * Finding card numbers where none may be. Countersign never takes a card number: orders carry a
 * payment-method token from the provider (`pm_card_visa`), so a request carrying something that
 * looks like a card number is refused before it is stored, logged or started, with a message
 * naming the field. "Looks like" is what PCI DSS scanners use: 13–19 digits, optionally grouped
 * by single spaces or dashes, that pass the Luhn check (ISO/IEC 7812) and start the way a card
 * network's numbers start: Visa 4, Mastercard 51–55 and 2221–2720, Maestro 5 and 6, Amex 34 and
 * 37, Diners 30, 36, 38 and 39, JCB 35, Discover and UnionPay 6. The prefix is what keeps ids built
 * from dates (`ord-20261126120101-…`, 14 digits from 2026) and times in milliseconds (13 digits
 * from 1) from being taken for a card one time in ten; a longer digit run (an id) is not one,
 * and neither is a run inside a word of letters and digits: a SHA-256 digest in hex (the audit
 * ledger's hashes, a charge id) holds a Luhn-valid 13-digit run about one time in a hundred.
 */

/** Where a card-like number was found: the field's path (`payment.card`, `lines[0].sku`). */
export interface CardNumberHit {
  field: string;
}

// A digit from 2 to 6, then 12–18 more, each optionally after one space or dash; not inside a
// longer run of digits or a word of letters and digits (`3f9a4242…c0`). The network's prefix is
// checked on the digits (`issued`).
const CANDIDATE = /(?<![\dA-Za-z])[2-6](?:[ -]?\d){12,18}(?![\dA-Za-z])/g;

/** Whether a number starts the way a card network's numbers do (the list above). */
function issued(digits: string): boolean {
  const first = digits[0];
  if (first === "4" || first === "5" || first === "6") return true;
  if (first === "3") return "0456789".includes(digits[1] ?? "");
  const four = Number(digits.slice(0, 4));
  return four >= 2221 && four <= 2720;
}

/** Whether `digits` (digits only) passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Whether a piece of text contains a card-like number. */
export function containsCardNumber(text: string): boolean {
  for (const match of text.matchAll(CANDIDATE)) {
    const digits = match[0].replace(/[ -]/g, "");
    if (digits.length >= 13 && digits.length <= 19 && issued(digits) && luhnValid(digits))
      return true;
  }
  return false;
}

/**
 * The first field of `value` (any JSON-like value: objects, arrays, strings, numbers) whose key or
 * value holds a card-like number, or `undefined`. Numbers count too: `{"card": 4242424242424242}`.
 */
export function findCardNumber(value: unknown, path = ""): CardNumberHit | undefined {
  if (typeof value === "string") return containsCardNumber(value) ? { field: path } : undefined;
  if (typeof value === "number" || typeof value === "bigint") {
    return Number.isInteger(Number(value)) && containsCardNumber(BigInt(value).toString())
      ? { field: path }
      : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findCardNumber(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
    return undefined;
  }
  if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      // A key that is a card number is named by where it sits, so the message never repeats it.
      if (containsCardNumber(key)) return { field: `${path || "(object)"} (a key)` };
      const hit = findCardNumber(inner, path ? `${path}.${key}` : key);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** What every refusal says after the field's name, so people meet one explanation everywhere. */
export const CARD_NUMBER_REFUSAL =
  "looks like a card number; Countersign never takes card numbers: pass the payment provider's payment-method token instead (e.g. pm_card_visa)";

/** The one-line refusal for a field: `payment.card: looks like a card number; …`. */
export function cardNumberMessage(field: string): string {
  return `${field || "(value)"}: ${CARD_NUMBER_REFUSAL}`;
}
