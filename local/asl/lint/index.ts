/**
 * `lintDefinition`: saga-safety and AWS warning diagnostics for any ASL definition, in AWS's
 * ValidateStateMachineDefinition shape (`{severity, code, message, location}`, location a JSON
 * pointer such as `/States/Charge/Catch/0`). Pure: no file, clock or network; the CLI reads the
 * files and the sidecar config. Rules and their codes: README.md beside this file.
 */
import type { Diagnostic } from "../types.ts";
import { awsWarnings as awsWarningsOf } from "./aws-warnings.ts";
import { tasksWithoutCatch } from "./missing-catch.ts";
import { buildPolicy, type LintOptions } from "./policy.ts";
import { assignRoles } from "./roles.ts";
import { sagaFlow } from "./saga-flow.ts";
import { tokenTaskTimeouts } from "./token-timeout.ts";
import { type DefinitionIndex, indexDefinition, isObject } from "./walk.ts";

export type { LintOptions } from "./policy.ts";

export interface LintReport {
  /** What to show: ERRORs and WARNINGs, in rule order. */
  diagnostics: Diagnostic[];
  /** Findings the options or `lint:ignore=` directives accepted. */
  suppressed: Diagnostic[];
}

/** Parses JSON text; an object passes through. Undefined when it is neither. */
function parse(definition: unknown): unknown {
  if (typeof definition !== "string") return definition;
  try {
    return JSON.parse(definition);
  } catch {
    return undefined;
  }
}

/**
 * Only the WARNING codes AWS's ValidateStateMachineDefinition documents (NO_DOLLAR, NO_PATH,
 * PASS_RESULT_IS_STATIC): what a local ValidateStateMachineDefinition with `severity: WARNING`
 * adds to the validator's diagnostics.
 */
export function awsWarnings(definition: unknown): Diagnostic[] {
  return awsWarningsOf(indexDefinition(parse(definition)));
}

/** Every lint rule, with what the options and directives suppress set apart. Never throws. */
export function lintReport(definition: unknown, options: LintOptions = {}): LintReport {
  const doc = parse(definition);
  if (!isObject(doc)) return { diagnostics: [], suppressed: [] };
  const index = indexDefinition(doc);
  const policy = buildPolicy(index, options);
  const roles = assignRoles(index, policy);
  const saga = sagaFlow(index, roles);
  const all: Diagnostic[] = [
    ...tokenTaskTimeouts(index),
    ...saga.diagnostics,
    ...tasksWithoutCatch(index, roles).filter(
      (d) => !saga.diagnostics.some((s) => s.location === d.location),
    ),
    ...awsWarningsOf(index),
    ...saga.incomplete.map(
      (at): Diagnostic => ({
        severity: "WARNING",
        code: "SAGA_ANALYSIS_INCOMPLETE",
        location: at || "/",
        message:
          "This state machine has too many paths to check them all; the saga rules checked only some of them.",
      }),
    ),
  ];
  const report: LintReport = { diagnostics: [], suppressed: [] };
  for (const d of all) {
    const owner = stateOf(index, d.location ?? "");
    (owner && policy.ignored(owner, d.code) ? report.suppressed : report.diagnostics).push(d);
  }
  return report;
}

/** The lint diagnostics of a definition (object or JSON text); empty when it is not an object. */
export function lintDefinition(definition: unknown, options: LintOptions = {}): Diagnostic[] {
  return lintReport(definition, options).diagnostics;
}

/** The innermost state a location points into (`/States/A/Catch/0` → `A`). */
function stateOf(index: DefinitionIndex, location: string): string | undefined {
  let owner: string | undefined;
  for (const ref of index.states) {
    if (
      (location === ref.at || location.startsWith(`${ref.at}/`)) &&
      (owner === undefined || ref.at.length > (index.byName.get(owner)?.at.length ?? 0))
    ) {
      owner = ref.name;
    }
  }
  return owner;
}
