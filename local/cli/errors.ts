/**
 * Errors of the command line. Each says what is wrong with what the person typed or pointed at,
 * and what to do instead; `index.ts` prints the message as one line and exits 1.
 */
import type { FieldIssue } from "../../functions/orders/errors.ts";

/** A bad command-line input: names the field and the fix. */
export class CliInputError extends Error {
  override name = "CliInputError";
}

/**
 * An order refused before anything started: every problem, each with its field. One problem is
 * one line (scripts grep it); several are listed one a line under a heading.
 */
export class OrderRefusedError extends CliInputError {
  override name = "OrderRefusedError";
  constructor(readonly issues: FieldIssue[]) {
    const lines = issues.map((i) => `${i.field}: ${i.message}`);
    super(
      lines.length === 1
        ? `The order is refused, nothing was started: ${lines[0]}`
        : [
            `The order is refused (${lines.length} problems), nothing was started:`,
            ...lines.map((l) => `  ${l}`),
          ].join("\n"),
    );
  }
}
