/**
 * What the user tells the linter that ASL cannot say: which Tasks only read, which state undoes
 * which step, which steps cannot be undone, and which findings to accept. Two sources, merged:
 * `LintOptions` (the CLI reads them from a sidecar `<name>.lint.json` or `--config`, and
 * `--read-only`), and `lint:` directives in a state's `Comment` (ASL's only free-form field,
 * which AWS ignores at run time):
 *
 *   lint:read-only                 this Task changes nothing (no Catch needed, no compensation)
 *   lint:compensates=StepA,StepB   this state undoes StepA and StepB
 *   lint:irreversible              this step cannot be undone (the saga's pivot)
 *   lint:ignore=CODE,CODE          do not report these codes for this state
 */
import type { Json } from "../types.ts";
import { functionNames } from "./resources.ts";
import type { DefinitionIndex, StateRef } from "./walk.ts";

/** Options of `lintDefinition`; every field optional. */
export interface LintOptions {
  /**
   * Tasks that change nothing, by state name, Lambda function name or ARN, or Resource; `*`
   * matches any run of characters (`lookup-*`, `*Price*`).
   */
  readOnly?: string[];
  /** Step → the state that undoes it, when names do not pair by convention. */
  compensations?: Record<string, string>;
  /** Steps that cannot be undone: once one has succeeded the saga only goes forward. */
  irreversible?: string[];
  /** State name → codes not to report at that state (or `*` for all). */
  ignore?: Record<string, string[]>;
}

/** The merged view the rules consult. */
export interface Policy {
  isReadOnly(ref: StateRef): boolean;
  /** Explicit step → compensation pairs (options and `lint:compensates`). */
  compensations: Map<string, string>;
  irreversible: Set<string>;
  ignored(stateName: string, code: string): boolean;
}

const DIRECTIVE = /\blint:([a-z-]+)(?:=([^\s;]+))?/g;

/** `lint:` directives of one Comment: name → values (empty for flags). */
export function directives(comment: Json | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (typeof comment !== "string") return out;
  for (const m of comment.matchAll(DIRECTIVE)) {
    const [, name, values] = m as unknown as [string, string, string | undefined];
    const list = values ? values.split(",").filter((v) => v !== "") : [];
    out.set(name, [...(out.get(name) ?? []), ...list]);
  }
  return out;
}

function glob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*");
  return new RegExp(`^${escaped}$`);
}

export function buildPolicy(index: DefinitionIndex, options: LintOptions = {}): Policy {
  const readOnly = (options.readOnly ?? []).filter((p) => typeof p === "string").map(glob);
  const compensations = new Map<string, string>();
  for (const [step, comp] of Object.entries(options.compensations ?? {})) {
    if (typeof comp === "string") compensations.set(step, comp);
  }
  const irreversible = new Set((options.irreversible ?? []).filter((s) => typeof s === "string"));
  const ignore = new Map<string, Set<string>>();
  for (const [state, codes] of Object.entries(options.ignore ?? {})) {
    if (Array.isArray(codes)) ignore.set(state, new Set(codes));
  }
  const markedReadOnly = new Set<string>();
  for (const ref of index.states) {
    const d = directives(ref.state.Comment);
    if (d.has("read-only")) markedReadOnly.add(ref.name);
    if (d.has("irreversible")) irreversible.add(ref.name);
    for (const step of d.get("compensates") ?? []) {
      if (!compensations.has(step)) compensations.set(step, ref.name);
    }
    const codes = d.get("ignore");
    if (codes) ignore.set(ref.name, new Set([...(ignore.get(ref.name) ?? []), ...codes]));
  }
  return {
    isReadOnly: (ref) =>
      markedReadOnly.has(ref.name) ||
      [ref.name, ...functionNames(ref)].some((n) => readOnly.some((r) => r.test(n))),
    compensations,
    irreversible,
    ignored: (stateName, code) => {
      const codes = ignore.get(stateName);
      return codes !== undefined && (codes.has(code) || codes.has("*"));
    },
  };
}
