/** Printing for the CLI's commands: JSON for scripts, short lines for people. */

/** Prints a value as indented JSON (`--json`). */
export const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/** A date (or an ISO string already) as an ISO string; empty when absent. */
export const iso = (d: Date | string | undefined) =>
  d === undefined ? "" : typeof d === "string" ? d : d.toISOString();
