/**
 * The Choice state: the first matching rule (JSONPath rules or JSONata Condition) picks the next
 * state and its Assign/Output; otherwise Default, else `States.NoChoiceMatched`.
 */
import { StatesError } from "../errors.ts";
import { jsonataScope, jsonPathEffectiveInput, moveOn, type Outcome, pathScope } from "../io.ts";
import type { CompiledChoice } from "../model.ts";
import type { Ctx, Frame } from "../snapshot.ts";

export function executeChoice(ctx: Ctx, frame: Frame): Outcome | Promise<Outcome> {
  const st = frame.state;
  if (st.ql === "JSONata") return choiceJsonata(ctx, frame);
  const choices = st.choices ?? [];
  const input = jsonPathEffectiveInput(ctx, frame, st);
  const scope = pathScope(ctx, frame, input);
  let matched: CompiledChoice | undefined;
  for (const c of choices) {
    if (c.test.kind === "jsonpath" && c.test.test(scope)) {
      matched = c;
      break;
    }
  }
  const next = matched?.next ?? st.default;
  if (next === undefined) noMatch();
  return moveOn(ctx, frame, input, matched ? matched.assign : st.assign, undefined, next);
}

async function choiceJsonata(ctx: Ctx, frame: Frame): Promise<Outcome> {
  const st = frame.state;
  const choices = st.choices ?? [];
  const scope = jsonataScope(ctx, frame, frame.input);
  let matched: CompiledChoice | undefined;
  for (const c of choices) {
    if (c.test.kind !== "jsonata") continue;
    if (conditionHolds(await c.test.expr.evaluate(scope))) {
      matched = c;
      break;
    }
  }
  const next = matched?.next ?? st.default;
  if (next === undefined) noMatch();
  const assign = matched ? matched.assign : st.assign;
  const output = matched ? (matched.output ?? st.output) : st.output;
  return moveOn(ctx, frame, frame.input, assign, output, next);
}

function noMatch(): never {
  throw new StatesError("States.NoChoiceMatched", "No Matches!");
}

/** A JSONata `Condition`'s value: it must be a boolean (AWS's States.QueryEvaluationError). */
export function conditionHolds(v: unknown): boolean {
  if (typeof v !== "boolean") {
    throw new StatesError(
      "States.QueryEvaluationError",
      `The JSONata expression specified for the field 'Condition' returned a non-boolean value: ${JSON.stringify(v)}`,
    );
  }
  return v;
}
