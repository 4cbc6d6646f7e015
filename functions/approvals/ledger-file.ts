/**
 * The audit export's file formats: JSON Lines (one entry or head a line, `kind` first) and CSV
 * (a header, then one row a line; `data` as JSON). Both carry exactly what verification needs, so
 * `countersign approvals audit verify` reads either back. Rows never span lines: JSON escapes
 * newlines, so a comment with line breaks stays on one line in both formats.
 */
import type { LedgerEntry, LedgerHead } from "./ledger.ts";

export type LedgerFormat = "jsonl" | "csv";

/** One line of an export. */
export type LedgerLine = ({ kind: "entry" } & LedgerEntry) | ({ kind: "head" } & LedgerHead);

export const CSV_COLUMNS = [
  "kind",
  "approvalId",
  "seq",
  "type",
  "at",
  "actor",
  "channel",
  "data",
  "prev",
  "hash",
  "sig",
  "createdAt",
] as const;

/** The lines of one request's chain: its entries in order, then its head. */
export function chainLines(entries: LedgerEntry[], head?: LedgerHead): LedgerLine[] {
  const lines: LedgerLine[] = entries.map((e) => ({ kind: "entry" as const, ...e }));
  if (head) lines.push({ kind: "head", ...head });
  return lines;
}

function csvCell(value: unknown): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Renders lines in a format (each ends with a newline). */
export function formatLines(lines: LedgerLine[], format: LedgerFormat): string {
  if (format === "jsonl") return lines.map((l) => `${JSON.stringify(l)}\n`).join("");
  const rows = lines.map((l) =>
    CSV_COLUMNS.map((c) => csvCell((l as unknown as Record<string, unknown>)[c])).join(","),
  );
  return [CSV_COLUMNS.join(","), ...rows].map((r) => `${r}\n`).join("");
}

/** Splits one CSV row (RFC 4180 quoting, no line breaks inside cells). */
function csvCells(row: string): string[] | undefined {
  const cells: string[] = [];
  let i = 0;
  while (i <= row.length) {
    if (row[i] === '"') {
      let cell = "";
      i++;
      for (;;) {
        const q = row.indexOf('"', i);
        if (q < 0) return undefined;
        cell += row.slice(i, q);
        if (row[q + 1] === '"') {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cells.push(cell);
      if (i < row.length && row[i] !== ",") return undefined;
      i++;
    } else {
      const comma = row.indexOf(",", i);
      const end = comma < 0 ? row.length : comma;
      cells.push(row.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}

/** A parsed line, or why it could not be read; `line` is 1-based in the file. */
export type ParsedLine = { line: number; value: unknown } | { line: number; error: string };

/** Reads an export in either format (CSV when the first line is its header). */
export function parseLedgerFile(text: string): ParsedLine[] {
  const raw = text.split(/\r?\n/);
  const csv = raw[0] === CSV_COLUMNS.join(",");
  const out: ParsedLine[] = [];
  for (const [i, row] of raw.entries()) {
    if (row === "" || (csv && i === 0)) continue;
    const line = i + 1;
    if (!csv) {
      try {
        out.push({ line, value: JSON.parse(row) });
      } catch {
        out.push({ line, error: "is not valid JSON" });
      }
      continue;
    }
    const cells = csvCells(row);
    if (!cells || cells.length !== CSV_COLUMNS.length) {
      out.push({ line, error: `does not have the ${CSV_COLUMNS.length} CSV columns` });
      continue;
    }
    const value: Record<string, unknown> = {};
    try {
      for (const [c, name] of CSV_COLUMNS.entries()) {
        const cell = cells[c] as string;
        if (cell === "") continue;
        value[name] = name === "seq" ? Number(cell) : name === "data" ? JSON.parse(cell) : cell;
      }
    } catch {
      out.push({ line, error: "has a data cell that is not valid JSON" });
      continue;
    }
    out.push({ line, value });
  }
  return out;
}
