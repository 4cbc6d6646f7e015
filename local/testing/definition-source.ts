/**
 * The definition a test environment runs: given inline (object or JSON text) or read from a file,
 * with `${Placeholder}` substitutions filled the way CloudFormation's `DefinitionSubstitutions`
 * (and our stacks) fill them. A `${NameFunctionArn}` placeholder with no substitution becomes the
 * local ARN of function `Name`, so a handler registered as `Name` answers it — the convention of
 * `stacks/*.asl.json`.
 */
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { TestEnvironmentError } from "./errors.ts";

export interface DefinitionOptions {
  /** The ASL definition, as an object or JSON text... */
  definition?: object | string;
  /** ...or the path of an `.asl.json` file (relative to the working directory). */
  file?: string;
  /** Values for `${Name}` placeholders (strings are inserted as they are). */
  substitutions?: Record<string, string>;
}

/** The definition's JSON text, placeholders filled, and a state machine name for it. */
export function loadDefinition(
  o: DefinitionOptions,
  functionArn: (name: string) => string,
): { text: string; name: string } {
  if ((o.definition === undefined) === (o.file === undefined)) {
    throw new TestEnvironmentError(
      "createTestEnvironment needs exactly one of `definition` (the ASL object or JSON text) or `file` (the path of an .asl.json file)",
    );
  }
  let raw: string;
  let name = "machine";
  if (o.file !== undefined) {
    try {
      raw = readFileSync(resolve(o.file), "utf8");
    } catch (cause) {
      throw new TestEnvironmentError(
        `file: cannot read ${o.file} (${(cause as Error).message}); give the path of an ASL definition`,
        { cause },
      );
    }
    name = basename(o.file)
      .replace(/(\.asl)?\.json$/, "")
      .replace(/[^A-Za-z0-9_-]/g, "-");
  } else {
    raw = typeof o.definition === "string" ? o.definition : JSON.stringify(o.definition);
  }
  const subs = o.substitutions ?? {};
  const text = raw.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, key: string) => {
    const given = subs[key];
    if (given !== undefined) return given;
    const fn = /^(.+)FunctionArn$/.exec(key)?.[1];
    return fn ? functionArn(fn) : whole;
  });
  const left = /\$\{([A-Za-z0-9_]+)\}/.exec(text);
  if (left) {
    throw new TestEnvironmentError(
      `substitutions: the definition has \${${left[1]}} and no value for it: pass substitutions: { ${left[1]}: "..." }`,
    );
  }
  try {
    JSON.parse(text);
  } catch (cause) {
    throw new TestEnvironmentError(
      `${o.file ?? "definition"} is not JSON: ${(cause as Error).message}`,
      { cause },
    );
  }
  return { text, name };
}
