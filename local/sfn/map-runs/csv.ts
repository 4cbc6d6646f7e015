/**
 * CSV as a Distributed Map's ItemReader reads it: RFC 4180 fields (double quotes around fields
 * with delimiters, quotes doubled inside), rows ended by LF or CRLF, a last row without its line
 * end. AWS's recorded rules for rows against headers: a short row gets "" for the headers it
 * lacks, a long row's extra fields are dropped, a row of spaces is a row (its one field kept).
 * Per "ItemReader (Map)": CSVHeaderLocation FIRST_ROW or GIVEN with CSVHeaders, CSVDelimiter
 * COMMA (default), PIPE, SEMICOLON, SPACE or TAB.
 */

const DELIMITERS: Record<string, string> = {
  COMMA: ",",
  PIPE: "|",
  SEMICOLON: ";",
  SPACE: " ",
  TAB: "\t",
};

/** The delimiter character for a CSVDelimiter name; throws naming the allowed ones. */
export function delimiterOf(name: unknown): string {
  if (name === undefined) return ",";
  const d = typeof name === "string" ? DELIMITERS[name] : undefined;
  if (!d) {
    throw new Error(
      `CSVDelimiter must be one of ${Object.keys(DELIMITERS).join(", ")}, got ${JSON.stringify(name)}`,
    );
  }
  return d;
}

/** Splits CSV text into rows of fields; `limit` stops after that many rows (0: all). */
export function parseCsv(text: string, delimiter = ",", limit = 0): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  const n = text.length;
  let quoted = false;
  let rowStarted = false;
  while (i < n) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field.length === 0) {
      quoted = true;
      rowStarted = true;
      i++;
      continue;
    }
    if (ch === delimiter) {
      row.push(field);
      field = "";
      rowStarted = true;
      i++;
      continue;
    }
    if (ch === "\n" || ch === "\r") {
      row.push(field);
      rows.push(row);
      if (limit > 0 && rows.length >= limit) return rows;
      row = [];
      field = "";
      rowStarted = false;
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      continue;
    }
    field += ch;
    rowStarted = true;
    i++;
  }
  if (rowStarted || field.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Rows as objects keyed by `headers`: missing fields are "", extra fields dropped. */
export function rowsToItems(rows: string[][], headers: string[]): Record<string, string>[] {
  return rows.map((r) => {
    const item: Record<string, string> = {};
    for (let h = 0; h < headers.length; h++) item[headers[h] as string] = r[h] ?? "";
    return item;
  });
}
