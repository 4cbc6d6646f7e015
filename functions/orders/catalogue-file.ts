/**
 * Reading a catalogue file (CSV or JSON) into rows that remember their line, so every problem
 * can be reported as `file:line: field: message`. Parsing only: what a row must contain is
 * checked by catalogue.ts, the same for both formats.
 *
 * CSV follows RFC 4180 (a header row; fields separated by commas; a field in double quotes may
 * hold commas, line breaks and doubled quotes); a UTF-8 byte order mark and blank lines are
 * ignored, and unquoted fields are trimmed. JSON is an array of objects.
 */

/** One product as written in the file, with the line it starts on (1-based). */
export interface CatalogueRow {
  line: number;
  fields: Record<string, unknown>;
  /** What is wrong with the row's shape (a CSV row with more cells than the header). */
  problems?: { field: string; message: string }[];
}

/** A problem with the file itself or with one row. */
export interface CatalogueIssue {
  line: number;
  field: string;
  message: string;
}

/** The file cannot be read as a catalogue at all (not one row is usable). */
export class CatalogueFileError extends Error {
  override name = "CatalogueFileError";
  constructor(
    readonly issues: CatalogueIssue[],
    options?: { cause?: unknown },
  ) {
    super(issues.map((i) => `line ${i.line}: ${i.field}: ${i.message}`).join("; "), options);
  }
}

export type CatalogueFormat = "csv" | "json";

/** The format a file name says (`.csv` or `.json`), or `undefined`. */
export function formatOf(fileName: string): CatalogueFormat | undefined {
  const ext = /\.([A-Za-z]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return ext === "csv" || ext === "json" ? ext : undefined;
}

/**
 * Parses a catalogue file's text into rows; `columns` are the names a CSV header must have (in
 * any order). Throws {@link CatalogueFileError} when the file as a whole is unusable.
 */
export function parseCatalogue(
  text: string,
  format: CatalogueFormat,
  columns: readonly string[],
): CatalogueRow[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return format === "csv" ? parseCsv(body, columns) : parseJson(body);
}

function parseCsv(text: string, columns: readonly string[]): CatalogueRow[] {
  const records = csvRecords(text).filter((r) => !(r.cells.length === 1 && r.cells[0] === ""));
  const [header, ...rows] = records;
  const expected = `the header is ${columns.join(",")}`;
  if (!header) {
    throw new CatalogueFileError([
      { line: 1, field: "(file)", message: `is empty: start with the header row (${expected})` },
    ]);
  }
  const names = header.cells.map((c) => c.toLowerCase());
  const issues: CatalogueIssue[] = [];
  for (const name of names) {
    if (!columns.includes(name))
      issues.push({
        line: header.line,
        field: name || "(empty column name)",
        message: `is not a catalogue column: ${expected}`,
      });
  }
  const missing = columns.filter((c) => !names.includes(c));
  if (missing.length > 0)
    issues.push({
      line: header.line,
      field: "(header)",
      message: `lacks ${missing.join(", ")}: ${expected}`,
    });
  if (issues.length > 0) throw new CatalogueFileError(issues);
  return rows.map((r) => {
    const fields: Record<string, unknown> = {};
    r.cells.forEach((cell, i) => {
      if (i < names.length) fields[names[i] as string] = cell;
    });
    // A short row is reported per missing column by the validation, like an empty cell; a long
    // one is usually a comma inside a value that needed quotes.
    return r.cells.length > names.length
      ? {
          line: r.line,
          fields,
          problems: [
            {
              field: "(row)",
              message: `has ${r.cells.length} cells but the header has ${names.length}: put a value with a comma in double quotes`,
            },
          ],
        }
      : { line: r.line, fields };
  });
}

/** RFC 4180 records with the line each starts on. */
function csvRecords(text: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let line = 1;
  let start = 1;
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let wasQuoted = false;
  const endCell = () => {
    cells.push(wasQuoted ? cell : cell.trim());
    cell = "";
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === "") {
      quoted = true;
      wasQuoted = true;
      cell = "";
    } else if (ch === ",") endCell();
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endCell();
      out.push({ line: start, cells });
      cells = [];
      line++;
      start = line;
    } else cell += ch;
  }
  if (quoted) {
    throw new CatalogueFileError([
      { line: start, field: "(row)", message: 'a quoted field is never closed: add the closing "' },
    ]);
  }
  if (cell !== "" || cells.length > 0 || wasQuoted) {
    endCell();
    out.push({ line: start, cells });
  }
  return out;
}

function parseJson(text: string): CatalogueRow[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    // V8 names the position for some errors only; its message may quote the file, so it is not
    // repeated (a quoted card number would travel on).
    const position = /at position (\d+)/.exec((cause as Error).message)?.[1];
    const where = position ? lineAt(text, Number(position)) : undefined;
    throw new CatalogueFileError(
      [
        {
          line: where ?? 1,
          field: "(file)",
          message: `is not valid JSON${where ? "" : " (somewhere in the file)"}: check brackets, commas and quotes`,
        },
      ],
      { cause },
    );
  }
  if (!Array.isArray(value)) {
    throw new CatalogueFileError([
      {
        line: 1,
        field: "(file)",
        message: 'must be a JSON array of products: [{"sku": …, "name": …, "price": …, …}]',
      },
    ]);
  }
  const lines = elementLines(text);
  return value.map((item, i) => {
    const line = lines[i] ?? 1;
    if (!item || typeof item !== "object" || Array.isArray(item)) {
      return { line, fields: { "(row)": item } };
    }
    return { line, fields: item as Record<string, unknown> };
  });
}

/** The line of `offset` in `text` (1-based). */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}

/** The line on which each element of the top-level JSON array starts (the text is valid JSON). */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "\n") line++;
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (depth === 1 && expectValue && ch !== "]") {
      lines.push(line);
      expectValue = false;
    }
    if (ch === '"') inString = true;
    else if (ch === "[" || ch === "{") {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (ch === "]" || ch === "}") depth--;
    else if (ch === "," && depth === 1) expectValue = true;
  }
  return lines;
}
