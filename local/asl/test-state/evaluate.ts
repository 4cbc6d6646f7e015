/**
 * Runs the work of the state under test, recording each step of its data flow as AWS's
 * InspectionData names it: InputPath → Parameters → (result) → ResultSelector → ResultPath →
 * OutputPath for JSONPath states, Arguments → (result) → Output for JSONata states. Which steps a
 * state type reports follows the recorded corpus (a Pass with a Result reports no InputPath; Choice,
 * Succeed and Fail report only their InputPath). Task results come from the mock or the runtime's
 * integration; Map and Parallel states (always mocked) are in `containers.ts`.
 */
import { StatesError } from "../errors.ts";
import { applyResultPath, checkPayload } from "../io.ts";
import type { CompiledState, StringSource } from "../model.ts";
import { normalisedPath } from "../paths/jsonpath.ts";
import { conditionHolds } from "../states/choice.ts";
import { parseTimestamp } from "../states/choice-rules.ts";
import type { Json } from "../types.ts";
import { evaluateMap, evaluateParallel } from "./containers.ts";
import { assignVars, type Run, readNumber, type StepOutcome, scopeOf } from "./run.ts";

/** Runs the state; StatesErrors of its data flow become error outcomes (Retry/Catch apply). */
export async function evaluateState(run: Run): Promise<StepOutcome> {
  try {
    switch (run.state.type) {
      case "Pass":
        return await evaluatePass(run);
      case "Task":
        return await evaluateTask(run);
      case "Choice":
        return await evaluateChoice(run);
      case "Wait":
        return await evaluateWait(run);
      case "Succeed":
        return await evaluateSucceed(run);
      case "Fail":
        return await evaluateFail(run);
      case "Map":
        return await evaluateMap(run);
      case "Parallel":
        return await evaluateParallel(run);
    }
  } catch (e) {
    if (e instanceof StatesError) {
      return { kind: "error", error: e.error, cause: e.causeText, catchable: true };
    }
    throw e;
  }
}

/** InputPath (JSONPath): `$` when absent, `{}` when null. */
export function inputPath(run: Run, st: CompiledState, input: Json): Json {
  if (st.inputPath === null) return {};
  if (!st.inputPath) return input;
  const v = st.inputPath.get(scopeOf(run, input));
  if (v === undefined) {
    throw new StatesError(
      "States.Runtime",
      `Invalid path '${st.inputPath.source}' : No results for path: ${normalisedPath(st.inputPath)}`,
    );
  }
  return v;
}

/** OutputPath (JSONPath): `$` when absent, `{}` when null. */
export function outputPath(run: Run, st: CompiledState, value: Json): Json {
  if (st.outputPath === null) return {};
  if (!st.outputPath) return value;
  const v = st.outputPath.get(scopeOf(run, value));
  if (v === undefined) {
    throw new StatesError(
      "States.Runtime",
      `Invalid path '${st.outputPath.source}' : No results for path: ${normalisedPath(st.outputPath)}`,
    );
  }
  return v;
}

/**
 * Finishes a state that produced `result`: ResultSelector, ResultPath, OutputPath and Assign
 * (JSONPath), or Assign and Output (JSONata). Records afterResultSelector / afterResultPath.
 */
export async function complete(run: Run, result: Json): Promise<StepOutcome> {
  const st = run.state;
  const insp = run.inspection;
  if (st.ql === "JSONata") {
    const scope = scopeOf(run, run.input, { result });
    const assigned = st.assign ? await st.assign.template.evaluate(scope) : undefined;
    const output = st.output ? await st.output.evaluate(scope) : result;
    checkPayload(output, st.name);
    assignVars(run, assigned);
    return { kind: "ok", output, next: st.next };
  }
  const selected = st.resultSelector ? st.resultSelector.evaluate(scopeOf(run, result)) : result;
  insp.afterResultSelector = selected;
  const assigned = st.assign ? st.assign.template.evaluate(scopeOf(run, selected)) : undefined;
  const merged = applyResultPath(run.input, st.resultPath, selected);
  insp.afterResultPath = merged;
  const output = outputPath(run, st, merged);
  checkPayload(output, st.name);
  assignVars(run, (await assigned) as Json | undefined);
  return { kind: "ok", output, next: st.next };
}

/** A state without a result moves on with its (effective) input: Assign, then OutputPath or Output. */
async function moveOn(
  run: Run,
  effective: Json,
  next: string | undefined,
  assign = run.state.assign,
  output = run.state.output,
): Promise<StepOutcome> {
  const st = run.state;
  if (st.ql === "JSONata") {
    const scope = scopeOf(run, run.input);
    const assigned = assign ? await assign.template.evaluate(scope) : undefined;
    const out = output ? await output.evaluate(scope) : run.input;
    assignVars(run, assigned);
    return { kind: "ok", output: out, next };
  }
  const assigned = assign ? await assign.template.evaluate(scopeOf(run, effective)) : undefined;
  const out = outputPath(run, st, effective);
  assignVars(run, assigned);
  return { kind: "ok", output: out, next };
}

async function evaluatePass(run: Run): Promise<StepOutcome> {
  const st = run.state;
  if (st.ql === "JSONata") return complete(run, run.input);
  const afterInputPath = inputPath(run, st, run.input);
  const afterParameters = st.parameters
    ? st.parameters.evaluate(scopeOf(run, afterInputPath))
    : afterInputPath;
  if (st.result !== undefined) {
    // A Result replaces the input: AWS reports the result, not the input processing.
    run.inspection.result = st.result;
    return complete(run, st.result);
  }
  run.inspection.afterInputPath = afterInputPath;
  run.inspection.afterParameters = afterParameters;
  return complete(run, afterParameters);
}

async function evaluateTask(run: Run): Promise<StepOutcome> {
  const st = run.state;
  const insp = run.inspection;
  let request: Json;
  if (st.ql === "JSONata") {
    request = st.arguments ? await st.arguments.evaluate(scopeOf(run, run.input)) : run.input;
    insp.afterArguments = request;
  } else {
    const afterInputPath = inputPath(run, st, run.input);
    insp.afterInputPath = afterInputPath;
    request = st.parameters ? st.parameters.evaluate(scopeOf(run, afterInputPath)) : afterInputPath;
    insp.afterParameters = request;
  }
  checkPayload(request, st.name);
  const timeoutSeconds = st.timeout
    ? await readNumber(run, st.timeout, run.input, "integer")
    : undefined;
  const heartbeatSeconds = st.heartbeat
    ? await readNumber(run, st.heartbeat, run.input, "integer")
    : undefined;
  let result: Json;
  if (run.mock) {
    if (run.mock.kind === "error") return mockedError(run);
    result = run.mock.result;
  } else {
    const outcome = await run.services.invoke({
      stateName: st.name,
      resource: st.resource as string,
      input: request,
      roleArn: run.roleArn as string,
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
    });
    if (outcome.trace?.request) insp.request = outcome.trace.request;
    if (outcome.trace?.response) insp.response = outcome.trace.response;
    if ("error" in outcome) {
      return { kind: "error", error: outcome.error, cause: outcome.cause, catchable: true };
    }
    result = outcome.output;
  }
  checkPayload(result, st.name);
  insp.result = result;
  return complete(run, result);
}

/** The mocked error, as the integration's failure (Retry and Catch apply). */
export function mockedError(run: Run): StepOutcome {
  const m = run.mock as { error?: string; cause?: string };
  const out: StepOutcome = { kind: "error", catchable: true };
  if (m.error !== undefined) out.error = m.error;
  if (m.cause !== undefined) out.cause = m.cause;
  return out;
}

async function evaluateChoice(run: Run): Promise<StepOutcome> {
  const st = run.state;
  const choices = st.choices ?? [];
  if (st.ql === "JSONata") {
    const scope = scopeOf(run, run.input);
    for (const c of choices) {
      if (c.test.kind !== "jsonata") continue;
      if (conditionHolds(await c.test.expr.evaluate(scope)))
        return moveOn(run, run.input, c.next, c.assign, c.output ?? st.output);
    }
  } else {
    const effective = inputPath(run, st, run.input);
    run.inspection.afterInputPath = effective;
    const scope = scopeOf(run, effective);
    for (const c of choices) {
      if (c.test.kind === "jsonpath" && c.test.test(scope)) {
        return moveOn(run, effective, c.next, c.assign);
      }
    }
    if (st.default !== undefined) return moveOn(run, effective, st.default);
  }
  if (st.default !== undefined) return moveOn(run, run.input, st.default);
  throw new StatesError("States.NoChoiceMatched", "No Matches!");
}

/** Checks the wait's Seconds / Timestamp (TestState does not wait) and moves on. */
async function evaluateWait(run: Run): Promise<StepOutcome> {
  const st = run.state;
  const effective = st.ql === "JSONPath" ? inputPath(run, st, run.input) : run.input;
  if (st.ql === "JSONPath") run.inspection.afterInputPath = effective;
  if (st.waitSeconds) {
    const v = await readNumber(run, st.waitSeconds, effective, "integer");
    if (v < 0) {
      throw new StatesError(
        "States.Runtime",
        `The ${st.waitSeconds.field} parameter references a negative value: ${v}`,
      );
    }
  } else if (st.waitTimestamp) {
    const v = await readString(run, st.waitTimestamp, effective);
    if (Number.isNaN(parseTimestamp(v))) {
      throw new StatesError(
        st.ql === "JSONata" ? "States.QueryEvaluationError" : "States.Runtime",
        `The Timestamp parameter does not reference a valid ISO-8601 extended offset date-time format string: ${JSON.stringify(v ?? null)}`,
      );
    }
  }
  return moveOn(run, effective, st.next);
}

async function evaluateSucceed(run: Run): Promise<StepOutcome> {
  const st = run.state;
  if (st.ql === "JSONata") {
    const out = st.output ? await st.output.evaluate(scopeOf(run, run.input)) : run.input;
    return { kind: "ok", output: out, next: undefined };
  }
  const effective = inputPath(run, st, run.input);
  run.inspection.afterInputPath = effective;
  return { kind: "ok", output: outputPath(run, st, effective), next: undefined };
}

async function evaluateFail(run: Run): Promise<StepOutcome> {
  const st = run.state;
  if (st.ql === "JSONPath") run.inspection.afterInputPath = inputPath(run, st, run.input);
  const out: StepOutcome = { kind: "error", catchable: false };
  const error = await failString(run, st.error);
  const cause = await failString(run, st.cause);
  if (error !== undefined) out.error = error;
  if (cause !== undefined) out.cause = cause;
  return out;
}

async function failString(run: Run, src: StringSource | undefined): Promise<string | undefined> {
  if (!src) return undefined;
  if (src.kind === "literal") return src.value;
  const v = await readString(run, src, run.input);
  if (typeof v !== "string") {
    throw new StatesError(
      "States.Runtime",
      `The value of the field '${src.field}' must be a string, but was: ${JSON.stringify(v)}`,
    );
  }
  return v;
}

async function readString(run: Run, src: StringSource, input: Json): Promise<Json | undefined> {
  if (src.kind === "literal") return src.value;
  if (src.kind === "jsonata") return src.expr.evaluate(scopeOf(run, run.input));
  if (src.intrinsic) return src.intrinsic.evaluate(scopeOf(run, input));
  return src.path.get(scopeOf(run, input));
}
