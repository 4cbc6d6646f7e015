/**
 * The one way an ASL file becomes a definition, for the stacks (function ARNs from Pulumi outputs)
 * and the local platform and tests (local ARNs): the file's `${<Task>FunctionArn}` placeholders
 * filled from the state machine's tasks in the topology. A placeholder left unfilled, or a task
 * without a placeholder, is an error naming it: a definition with `${ChargePaymentFunctionArn}`
 * in it would deploy and then fail on the first order.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type FunctionName, placeholderFor, type StateMachineSpec } from "../topology.ts";
import { PlaceholderError } from "./errors.ts";

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The app root (where `stacks/` and `functions/` are). */
export const APP_ROOT = path.resolve(import.meta.dirname, "../..");

/** The placeholder names in a definition text, sorted, e.g. `ChargePaymentFunctionArn`. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}

/**
 * Replaces every `${Name}` in `text` with `values[Name]`; throws `PlaceholderError` listing any
 * placeholder without a value and any value without a placeholder. Values are JSON-string-escaped,
 * since placeholders sit inside JSON strings.
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  const wanted = placeholdersOf(text);
  const missing = wanted.filter((name) => typeof values[name] !== "string");
  const unknown = Object.keys(values).filter((name) => !wanted.includes(name));
  if (missing.length || unknown.length) {
    throw new PlaceholderError(
      [
        missing.length
          ? `no value for placeholder(s) ${missing.map((n) => `\${${n}}`).join(", ")}`
          : "",
        unknown.length
          ? `value(s) given for placeholder(s) not in the definition: ${unknown.join(", ")}`
          : "",
      ]
        .filter(Boolean)
        .join("; "),
    );
  }
  return text.replace(PLACEHOLDER, (_, name: string) =>
    JSON.stringify(values[name] as string).slice(1, -1),
  );
}

/** The ASL file's text, as written (placeholders unfilled). */
export function definitionSource(machine: StateMachineSpec, root: string = APP_ROOT): string {
  return readFileSync(path.join(root, machine.definition), "utf8");
}

/**
 * The definition Step Functions (or the local engine) receives: `source` with each task's
 * placeholder filled by `arnOf(task)`.
 */
export function renderDefinition(
  source: string,
  machine: Pick<StateMachineSpec, "tasks">,
  arnOf: (fn: FunctionName) => string,
): string {
  return fillPlaceholders(
    source,
    Object.fromEntries(machine.tasks.map((fn) => [placeholderFor(fn), arnOf(fn)])),
  );
}
