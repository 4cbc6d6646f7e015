/**
 * How a request reads, from the contract alone: summary fields by type (money with its currency,
 * dates in UTC, links as links), details in a small safe subset of Markdown (paragraphs, `- `
 * bullets, `**bold**`; everything escaped first, so no HTML gets through), and the decision form's
 * inputs. Emails, the confirm page and the webhook use these; the dashboard renders the same
 * fields in web/src.
 */
import { formatDateTime, formatMoney } from "../shared/format.ts";
import type { FormField, SummaryField } from "./contract.ts";

/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** `1,234.50 EUR`: the one money format (functions/shared/format.ts), stable across machines. */
export function money(amount: number, currency: string): string {
  return formatMoney(amount, currency);
}

/** A summary field's value as plain text. */
export function fieldText(f: SummaryField): string {
  switch (f.type) {
    case "money":
      return money(f.amount, f.currency);
    case "number":
      return f.value.toLocaleString("en-US");
    case "date":
      return formatDateTime(f.value);
    case "link":
      return f.text ? `${f.text} (${f.href})` : f.href;
    default:
      return f.value;
  }
}

/** A summary field's value as HTML. */
export function fieldHtml(f: SummaryField): string {
  if (f.type === "link")
    return `<a href="${esc(f.href)}" rel="noopener noreferrer">${esc(f.text ?? f.href)}</a>`;
  if (f.type === "money") return `<strong>${esc(fieldText(f))}</strong>`;
  return esc(fieldText(f));
}

/** The summary as `Label: value` lines. */
export function summaryText(summary: SummaryField[]): string {
  return summary.map((f) => `${f.label}: ${fieldText(f)}`).join("\n");
}

/** The summary as a two-column table. */
export function summaryHtml(summary: SummaryField[]): string {
  if (summary.length === 0) return "";
  const rows = summary
    .map((f) => `<tr><th scope="row">${esc(f.label)}</th><td>${fieldHtml(f)}</td></tr>`)
    .join("");
  return `<table class="summary">${rows}</table>`;
}

/** Details in the safe Markdown subset as HTML. */
export function detailsHtml(details: string | undefined): string {
  if (!details) return "";
  const inline = (s: string) => esc(s).replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
  return details
    .trim()
    .split(/\n\s*\n/)
    .map((block) => {
      const lines = block.split("\n");
      if (lines.every((l) => /^\s*- /.test(l)))
        return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*- /, ""))}</li>`).join("")}</ul>`;
      return `<p>${lines.map(inline).join("<br>")}</p>`;
    })
    .join("");
}

/** Details as plain text (the Markdown marks removed). */
export function detailsText(details: string | undefined): string {
  return details ? details.trim().replace(/\*\*([^*]+)\*\*/g, "$1") : "";
}

/** The decision form's inputs (`form.<name>`), for the confirm page. */
export function formInputsHtml(fields: FormField[] | undefined): string {
  return (fields ?? [])
    .map((f) => {
      const id = `form-${f.name}`;
      const name = `form.${f.name}`;
      const req = f.required ? " required" : "";
      const label = `<label for="${esc(id)}">${esc(f.label)}${f.required ? "" : " (optional)"}</label>`;
      if (f.type === "choice") {
        const options = f.options
          .map((o) => `<option value="${esc(o)}">${esc(o)}</option>`)
          .join("");
        return `${label}<select id="${esc(id)}" name="${esc(name)}"><option value=""></option>${options}</select>`;
      }
      if (f.type === "number") {
        const attrs = [
          f.min !== undefined ? ` min="${esc(f.min)}"` : "",
          f.max !== undefined ? ` max="${esc(f.max)}"` : "",
          f.default !== undefined ? ` value="${esc(f.default)}"` : "",
        ].join("");
        return `${label}<input id="${esc(id)}" name="${esc(name)}" type="number" step="any"${attrs}${req}>`;
      }
      return `${label}<input id="${esc(id)}" name="${esc(name)}" type="text" maxlength="${esc(f.maxLength)}"${req}>`;
    })
    .join("\n");
}
