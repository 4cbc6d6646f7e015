/**
 * Files the CLI reads for the user — an order, a catalogue — with errors that name the file, and
 * for a catalogue every bad row's line and field.
 */
import { readFileSync } from "node:fs";
import {
  CATALOGUE_COLUMNS,
  checkCatalogue,
  type Product,
} from "../../functions/orders/catalogue.ts";
import {
  CatalogueFileError,
  formatOf,
  parseCatalogue,
} from "../../functions/orders/catalogue-file.ts";
import { CliInputError } from "./errors.ts";

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (cause) {
    const reason = (cause as { code?: string }).code === "ENOENT" ? "no such file" : String(cause);
    throw new CliInputError(`Cannot read ${what} file ${file}: ${reason}`, { cause });
  }
}

/** Reads an order file, with an error naming the file when it is not JSON. */
export function readOrderFile(file: string): unknown {
  const text = readText(file, "order");
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CliInputError(
      `Order file ${file} is not JSON (${(cause as Error).message.replace(/\s+/g, " ")}): the format is in README.md, "The command line"`,
      { cause },
    );
  }
}

/** How many row problems a refusal prints before it says how many more there are. */
const SHOWN_ISSUES = 20;

/** A catalogue file with problems: every one, `file:line: field: message`, and nothing imported. */
export class CatalogueRejectedError extends CliInputError {
  override name = "CatalogueRejectedError";
}

/**
 * Reads and checks a catalogue file (`.csv` or `.json`; catalogue.ts says what a row holds).
 * Any problem refuses the whole file, listing each with its line and field.
 */
export function readCatalogueFile(file: string): Product[] {
  const format = formatOf(file);
  if (!format) {
    throw new CliInputError(
      `Catalogue file ${file} must end in .csv or .json (the format is in README.md, "Products")`,
    );
  }
  const text = readText(file, "catalogue");
  let issues: { line: number; field: string; message: string }[];
  let products: Product[] = [];
  try {
    ({ products, issues } = checkCatalogue(parseCatalogue(text, format, CATALOGUE_COLUMNS)));
  } catch (error) {
    if (!(error instanceof CatalogueFileError)) throw error;
    issues = error.issues;
  }
  if (issues.length > 0) {
    const shown = issues
      .slice(0, SHOWN_ISSUES)
      .map((i) => `  ${file}:${i.line}: ${i.field}: ${i.message}`);
    const more =
      issues.length > SHOWN_ISSUES ? [`  … and ${issues.length - SHOWN_ISSUES} more`] : [];
    throw new CatalogueRejectedError(
      [
        `${file} has ${issues.length} problem${issues.length === 1 ? "" : "s"}; nothing was imported:`,
        ...shown,
        ...more,
      ].join("\n"),
    );
  }
  return products;
}
