/**
 * The `States.*` intrinsic functions of JSONPath states: parsing an expression such as
 * `States.Format('Hi {}', $.name)` and evaluating it against a scope the engine supplies.
 * Follows AWS's "Intrinsic functions for JSONPath states in Step Functions" and AWS's observed
 * behaviour; failures raise `StatesError` with AWS's error name (`States.Runtime`, see
 * `INTRINSIC_ERROR`) and cause ("Invalid arguments in States.<Name>"), the reason in its `cause`.
 */
import { StatesError } from "../errors.ts";
import type { Json } from "../types.ts";
import { FUNCTIONS, INTRINSIC_ERROR, invalidArguments } from "./intrinsics/functions.ts";
import {
  callDepth,
  type IntrinsicArg,
  type IntrinsicCall,
  IntrinsicSyntaxError,
  parseIntrinsic,
} from "./intrinsics/parser.ts";

export { INTRINSIC_ERROR };

/** What an intrinsic needs from the engine: path resolution and its deterministic PRNG. */
export interface IntrinsicScope {
  /** Resolves a path argument (`$.x`, `$$.Execution.Id`, `$var.field`) to its value. */
  resolvePath(path: string): Json;
  /** The engine's deterministic PRNG, uniform in [0, 1). */
  random(): number;
}

/** AWS allows at most 10 nested intrinsic calls in one field. */
export const MAX_INTRINSIC_NESTING = 10;

/** Whether `s` is an intrinsic function call such as `States.Array($.a)`. */
export function isIntrinsicCall(s: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(s);
}

const cache = new Map<string, IntrinsicCall>();
const CACHE_LIMIT = 2000;

function parsed(expression: string): IntrinsicCall {
  let call = cache.get(expression);
  if (!call) {
    try {
      call = parseIntrinsic(expression);
    } catch (error) {
      if (!(error instanceof IntrinsicSyntaxError)) throw error;
      throw new StatesError(
        INTRINSIC_ERROR,
        `The intrinsic function '${expression}' is malformed: ${error.message} (at character ${error.at + 1})`,
        { cause: error },
      );
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(expression, call);
  }
  return call;
}

function evaluateCall(call: IntrinsicCall, scope: IntrinsicScope): Json {
  const spec = FUNCTIONS[call.name];
  if (!spec) {
    throw new StatesError(INTRINSIC_ERROR, `The intrinsic function ${call.name} is not supported`);
  }
  if (call.args.length < spec.minArgs || call.args.length > spec.maxArgs) {
    throw invalidArguments(call.name, arityText(call.name, call.args.length));
  }
  const values = call.args.map((arg) => evaluateArg(arg, scope));
  return spec.run(values, call, () => scope.random());
}

function evaluateArg(arg: IntrinsicArg, scope: IntrinsicScope): Json {
  if (arg.kind === "literal") return arg.value;
  if (arg.kind === "path") return scope.resolvePath(arg.path);
  return evaluateCall(arg, scope);
}

function arityText(name: string, given: number): string {
  const spec = FUNCTIONS[name];
  if (!spec) return "";
  const want =
    spec.maxArgs === Number.POSITIVE_INFINITY
      ? `at least ${spec.minArgs}`
      : spec.minArgs === spec.maxArgs
        ? `${spec.minArgs}`
        : `${spec.minArgs} to ${spec.maxArgs}`;
  return `takes ${want} argument(s) but was given ${given}`;
}

/**
 * Evaluates an intrinsic function call.
 * @throws StatesError `States.Runtime` with AWS's cause text for bad arguments; errors thrown by
 * `scope.resolvePath` pass through unchanged.
 */
export function evaluateIntrinsic(expression: string, scope: IntrinsicScope): Json {
  return evaluateCall(parsed(expression), scope);
}

/**
 * Problems detectable without running: syntax, unknown functions, wrong argument counts, nesting
 * deeper than AWS allows, literal arguments of the wrong type. Empty when the call looks valid.
 * Each entry is a sentence saying what to fix.
 */
export function checkIntrinsic(expression: string): string[] {
  let call: IntrinsicCall;
  try {
    call = parseIntrinsic(expression);
  } catch (error) {
    if (!(error instanceof IntrinsicSyntaxError)) throw error;
    return [`Malformed intrinsic function: ${error.message} (at character ${error.at + 1}).`];
  }
  const problems: string[] = [];
  const depth = callDepth(call);
  if (depth > MAX_INTRINSIC_NESTING) {
    problems.push(
      `Intrinsic functions are nested ${depth} deep; AWS allows at most ${MAX_INTRINSIC_NESTING}.`,
    );
  }
  const visit = (c: IntrinsicCall) => {
    const spec = FUNCTIONS[c.name];
    if (!spec) {
      problems.push(
        `Unknown intrinsic function ${c.name}; use one of ${Object.keys(FUNCTIONS).join(", ")}.`,
      );
    } else if (c.args.length < spec.minArgs || c.args.length > spec.maxArgs) {
      problems.push(`${c.name} ${arityText(c.name, c.args.length)}.`);
    } else {
      const literalProblem = checkLiterals(c);
      if (literalProblem) problems.push(literalProblem);
    }
    for (const a of c.args) if (a.kind === "call") visit(a);
  };
  visit(call);
  return problems;
}

/** Runs a call whose arguments are all literals; reports the failure it would have at run time. */
function checkLiterals(c: IntrinsicCall): string | undefined {
  if (c.name === "States.UUID" || c.name === "States.MathRandom") return undefined;
  if (!c.args.every((a) => a.kind === "literal")) {
    const first = c.args[0];
    if (c.name === "States.Format" && first?.kind === "literal" && !first.template) {
      return "States.Format template has an unescaped '{' or '}'; write \\{ or \\} for a literal brace.";
    }
    return undefined;
  }
  try {
    evaluateCall(c, { resolvePath: () => null, random: () => 0 });
    return undefined;
  } catch (error) {
    if (error instanceof StatesError) {
      const detail = error.cause instanceof Error ? error.cause.message : error.causeText;
      return `${detail}.`;
    }
    throw error;
  }
}
