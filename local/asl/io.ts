/**
 * Input and output processing shared by the state types, per "Processing input and output in Step
 * Functions": InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath in
 * JSONPath states; Arguments → (work) → Output in JSONata states; Assign in both, evaluated
 * against the variables as they were when the state started.
 */
import { StatesError } from "./errors.ts";
import type { Assigner, CompiledState } from "./model.ts";
import type { CompiledJsonata, JsonataScope } from "./paths/jsonata.ts";
import { missingAt, setAtPath } from "./paths/jsonpath.ts";
import type { TemplateScope } from "./paths/payload-template.ts";
import { type Ctx, contextObject, type Frame, random, uuid } from "./snapshot.ts";
import type { Json, JsonObject } from "./types.ts";

/** The 256 KiB limit on state input/output and task results. */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;

/** Outcome of running (part of) a state. */
export type Outcome =
  | { kind: "next"; output: Json; next: string | undefined }
  | {
      kind: "fail";
      /** `null`: the task failure named none (SendTaskFailure without error); Catch sees null. */
      error?: string | null;
      cause?: string | null;
      /** A task's own failure: States.ALL catches even States.DataLimitExceeded, as on AWS. */
      task?: true;
      /** Raised by OutputPath/Output after the state's work: neither retried nor caught. */
      uncaught?: true;
    }
  | { kind: "wait" };

/** A JSONPath evaluation scope; a class so creating one allocates no closures. */
class EvalScope implements TemplateScope {
  private ctxObject: JsonObject | undefined;
  readonly vars: Record<string, Json>;
  constructor(
    private readonly ctx: Ctx,
    private readonly frame: Frame,
    readonly input: Json,
    private readonly extra: JsonObject | undefined,
  ) {
    this.vars = frame.vars;
  }
  context(): Json {
    this.ctxObject ??= contextObject(this.ctx, this.frame, this.extra);
    return this.ctxObject;
  }
  random(): number {
    return random(this.ctx);
  }
}

/** A scope for JSONPath templates over `input`. */
export function pathScope(ctx: Ctx, frame: Frame, input: Json, extra?: JsonObject): TemplateScope {
  return new EvalScope(ctx, frame, input, extra);
}

/** A JSONata evaluation scope (a class, for the same reason as EvalScope). */
class JsonataEvalScope implements JsonataScope {
  private ctxObject: JsonObject | undefined;
  readonly vars: Record<string, Json>;
  readonly result: Json | undefined;
  readonly errorOutput: Json | undefined;
  constructor(
    private readonly ctx: Ctx,
    private readonly frame: Frame,
    readonly input: Json,
    private readonly extra: JsonObject | undefined,
    more: { result?: Json; errorOutput?: Json } | undefined,
  ) {
    this.vars = frame.vars;
    this.result = more?.result;
    this.errorOutput = more?.errorOutput;
  }
  context(): Json {
    this.ctxObject ??= contextObject(this.ctx, this.frame, this.extra);
    return this.ctxObject;
  }
  random(): number {
    return random(this.ctx);
  }
  uuid(): string {
    return uuid(this.ctx);
  }
}

/** A scope for JSONata expressions. */
export function jsonataScope(
  ctx: Ctx,
  frame: Frame,
  input: Json,
  more?: { result?: Json; errorOutput?: Json; context?: JsonObject },
): JsonataScope {
  return new JsonataEvalScope(ctx, frame, input, more?.context, more);
}

/** Approximate UTF-8 size of a JSON value, stopping once past `limit`. */
export function jsonSize(v: Json, limit = PAYLOAD_LIMIT_BYTES): number {
  let size = 0;
  const stack: Json[] = [v];
  while (stack.length > 0 && size <= limit) {
    const x = stack.pop() as Json;
    if (x === null) size += 4;
    else if (typeof x === "string") size += x.length + 2;
    else if (typeof x === "number") size += 8;
    else if (typeof x === "boolean") size += 5;
    else if (Array.isArray(x)) {
      size += 2 + x.length;
      for (const i of x) stack.push(i);
    } else {
      for (const k in x) {
        size += k.length + 4;
        stack.push(x[k] as Json);
      }
    }
  }
  if (size > limit * 0.5) return Buffer.byteLength(JSON.stringify(v), "utf8");
  return size;
}

/** Raises States.DataLimitExceeded when a state's payload is over 256 KiB. */
export function checkPayload(v: Json, stateName: string): void {
  if (jsonSize(v) > PAYLOAD_LIMIT_BYTES) {
    throw new StatesError(
      "States.DataLimitExceeded",
      `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    );
  }
}

function invalidPath(source: string, normalised: string, uncaught?: boolean): never {
  throw new StatesError(
    "States.Runtime",
    `Invalid path '${source}' : ${normalised}`,
    uncaught ? { uncaught } : undefined,
  );
}

/** InputPath then Parameters (JSONPath), or Arguments (JSONata). */
export async function effectiveInput(
  ctx: Ctx,
  frame: Frame,
  state: CompiledState,
  extra?: JsonObject,
): Promise<Json> {
  const raw = frame.input;
  if (state.ql === "JSONata") {
    if (!state.arguments) return raw;
    return state.arguments.evaluate(jsonataScope(ctx, frame, raw, { context: extra }));
  }
  return jsonPathEffectiveInput(ctx, frame, state, extra);
}

/** The synchronous JSONPath half of `effectiveInput` (no awaits on the hot path). */
export function jsonPathEffectiveInput(
  ctx: Ctx,
  frame: Frame,
  state: CompiledState,
  extra?: JsonObject,
): Json {
  const raw = frame.input;
  let input: Json = raw;
  if (state.inputPath === null) input = {};
  else if (state.inputPath) {
    const v = state.inputPath.get(pathScope(ctx, frame, raw));
    if (v === undefined) invalidPath(state.inputPath.source, missingAt(state.inputPath, raw));
    input = v;
  }
  if (state.parameters) input = state.parameters.evaluate(pathScope(ctx, frame, input, extra));
  return input;
}

/**
 * A state without a result (Choice, Wait) moves on to `next`: Assign, then OutputPath (JSONPath)
 * or Output (JSONata, `output`), both on the state's input.
 */
export function moveOn(
  ctx: Ctx,
  frame: Frame,
  input: Json,
  assign: Assigner | undefined,
  output: CompiledJsonata | undefined,
  next: string | undefined,
): Outcome | Promise<Outcome> {
  const st = frame.state;
  if (st.ql === "JSONata") return moveOnJsonata(ctx, frame, assign, output, next);
  // JSONPath Assign is synchronous: no promise, no await on the Choice/Wait hot path.
  const assigned = evaluateAssign(ctx, frame, assign, frame.input, input) as JsonObject | undefined;
  const out = applyOutputPath(ctx, frame, st, input);
  applyAssign(frame, assigned);
  return { kind: "next", output: out, next };
}

async function moveOnJsonata(
  ctx: Ctx,
  frame: Frame,
  assign: Assigner | undefined,
  output: CompiledJsonata | undefined,
  next: string | undefined,
): Promise<Outcome> {
  const scope = jsonataScope(ctx, frame, frame.input);
  const assigned = assign ? ((await assign.template.evaluate(scope)) as JsonObject) : undefined;
  const out = output ? await output.evaluate(scope) : frame.input;
  applyAssign(frame, assigned);
  return { kind: "next", output: out, next };
}

/** Evaluates an Assign block into new variable values (not yet applied). */
export function evaluateAssign(
  ctx: Ctx,
  frame: Frame,
  assign: Assigner | undefined,
  input: Json,
  jsonPathValue: Json,
  more?: { result?: Json; errorOutput?: Json },
): JsonObject | undefined | Promise<JsonObject> {
  if (!assign) return undefined;
  if (assign.ql === "JSONPath") {
    return assign.template.evaluate(pathScope(ctx, frame, jsonPathValue)) as JsonObject;
  }
  return assign.template.evaluate(jsonataScope(ctx, frame, input, more)) as Promise<JsonObject>;
}

/** Applies assigned variables to the frame's own scope. */
export function applyAssign(frame: Frame, assigned: JsonObject | undefined): void {
  if (!assigned) return;
  for (const k in assigned) frame.vars[k] = assigned[k] as Json;
}

/**
 * Finishes a state that produced `result`: ResultSelector, ResultPath, OutputPath (or Output), then
 * Assign, and returns the transition. Synchronous for JSONPath states.
 */
export function completeState(
  ctx: Ctx,
  frame: Frame,
  state: CompiledState,
  result: Json,
): Outcome | Promise<Outcome> {
  if (state.ql === "JSONata") return completeJsonata(ctx, frame, state, result);
  const raw = frame.input;
  let selected = result;
  if (state.resultSelector) selected = state.resultSelector.evaluate(pathScope(ctx, frame, result));
  // JSONPath Assign is synchronous; `$` is the (selected) result.
  const assigned = evaluateAssign(ctx, frame, state.assign, raw, selected) as
    | JsonObject
    | undefined;
  if (state.resultInPlace && frame.ownsInput && isPlainObject(raw)) {
    return setInPlace(ctx, frame, state, raw, selected, assigned);
  }
  let output = applyResultPath(raw, state.resultPath, selected);
  if (state.outputPath === undefined) {
    if (output !== raw) {
      if (ctx.s.recordHistory) extendText(frame, state, raw, selected, output);
      // ResultPath built a new object; only the next state will hold it.
      if (state.resultPath) frame.fresh = output;
    }
  } else output = applyOutputPath(ctx, frame, state, output);
  // An unchanged input was already within the limit.
  if (output !== raw) checkPayloadOf(frame, output, state.name);
  applyAssign(frame, assigned);
  return { kind: "next", output, next: state.next };
}

function isPlainObject(v: Json): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * ResultPath for a `resultInPlace` Pass on an input the frame owns: the same object a copy would
 * give (same keys in the same order), without copying it.
 */
function setInPlace(
  ctx: Ctx,
  frame: Frame,
  state: CompiledState,
  raw: JsonObject,
  selected: Json,
  assigned: JsonObject | undefined,
): Outcome {
  const key = (state.resultPath as string[])[0] as string;
  // The cached text describes `raw` as it is now: extend it before writing, or drop it.
  if (!ctx.s.recordHistory || !extendText(frame, state, raw, selected, raw)) {
    if (frame.textOf === raw) frame.textOf = undefined;
  }
  raw[key] = selected;
  checkPayloadOf(frame, raw, state.name);
  applyAssign(frame, assigned);
  frame.fresh = raw;
  return { kind: "next", output: raw, next: state.next };
}

/**
 * When ResultPath adds one new top-level field, the output's JSON text is the input's text with
 * that field appended (JSON.stringify keeps insertion order for non-index keys), so a chain of
 * states that each add a field stringifies only what is new.
 */
function extendText(
  frame: Frame,
  state: CompiledState,
  raw: Json,
  value: Json,
  output: Json,
): boolean {
  const keyText = state.resultKeyText;
  if (keyText === undefined || frame.textOf !== raw || frame.text === undefined) return false;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return false;
  if (Object.hasOwn(raw, (state.resultPath as string[])[0] as string)) return false;
  const open = frame.textOpen ?? frame.text.slice(0, -1);
  const fieldText =
    value === state.result && state.resultFieldText !== undefined
      ? state.resultFieldText
      : `,${keyText}${JSON.stringify(value)}`;
  // Concatenation builds a rope, so growing the text costs only the new field.
  const next = open.length === 1 ? open + fieldText.slice(1) : open + fieldText;
  frame.textOpen = next;
  frame.text = `${next}}`;
  frame.textOf = output;
  return true;
}

/** The payload check, using the history text when it is already known. */
function checkPayloadOf(frame: Frame, output: Json, stateName: string): void {
  if (frame.textOf === output && frame.text !== undefined) {
    const t = frame.text;
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (t.length * 3 <= PAYLOAD_LIMIT_BYTES) return;
    if (Buffer.byteLength(t, "utf8") <= PAYLOAD_LIMIT_BYTES) return;
    throw new StatesError(
      "States.DataLimitExceeded",
      `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    );
  }
  checkPayload(output, stateName);
}

async function completeJsonata(
  ctx: Ctx,
  frame: Frame,
  state: CompiledState,
  result: Json,
): Promise<Outcome> {
  const scope = jsonataScope(ctx, frame, frame.input, { result });
  const assigned = state.assign
    ? ((await state.assign.template.evaluate(scope)) as JsonObject)
    : undefined;
  const output = state.output ? await state.output.evaluate(scope) : result;
  checkPayload(output, state.name);
  applyAssign(frame, assigned);
  return { kind: "next", output, next: state.next };
}

/** ResultPath: `undefined` = `$` (replace), `null` = keep the input, else merge at the path. */
export function applyResultPath(
  raw: Json,
  resultPath: (string | number)[] | null | undefined,
  result: Json,
): Json {
  if (resultPath === undefined) return result;
  if (resultPath === null) return raw;
  const merged = setAtPath(raw, resultPath, result);
  if (merged === undefined) {
    // "States.ResultPathMatchFailure" per AWS's error-handling page (catchable, unlike Runtime).
    throw new StatesError(
      "States.ResultPathMatchFailure",
      `Unable to apply ResultPath '$${resultPath.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("")}' to input '${JSON.stringify(raw)}'`,
    );
  }
  return merged;
}

export function applyOutputPath(ctx: Ctx, frame: Frame, state: CompiledState, output: Json): Json {
  if (state.outputPath === null) return {};
  if (!state.outputPath) return output;
  const v = state.outputPath.get(pathScope(ctx, frame, output));
  // AWS evaluates OutputPath after Retry and Catch have had their turn: its failure ends the
  // execution even under a Catch (recorded: scenarios test_catch_states_runtime).
  if (v === undefined)
    invalidPath(state.outputPath.source, missingAt(state.outputPath, output), true);
  return v;
}
