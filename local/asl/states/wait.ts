/**
 * The Wait state: asks the runtime for a timer (Seconds, Timestamp, their Path forms or JSONata)
 * and continues when it fires, per AWS's "Wait workflow state". A wait already due continues at once.
 */
import { StatesError } from "../errors.ts";
import { jsonataScope, jsonPathEffectiveInput, moveOn, type Outcome, pathScope } from "../io.ts";
import { type Ctx, type Frame, nextId } from "../snapshot.ts";
import type { Json } from "../types.ts";
import { parseTimestamp } from "./choice-rules.ts";
import { failureOf } from "./failure.ts";

async function dueTime(ctx: Ctx, frame: Frame, input: Json): Promise<number> {
  const st = frame.state;
  const sec = st.waitSeconds;
  if (sec) {
    if (sec.kind === "literal") return ctx.now + sec.value * 1000;
    const v =
      sec.kind === "path"
        ? sec.path.get(pathScope(ctx, frame, input))
        : await sec.expr.evaluate(jsonataScope(ctx, frame, frame.input));
    const where =
      sec.kind === "path"
        ? `${sec.path.source} == ${JSON.stringify(v ?? null)}`
        : JSON.stringify(v ?? null);
    const name = sec.kind === "path" ? "SecondsPath" : "Seconds";
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw new StatesError(
        sec.kind === "path" ? "States.Runtime" : "States.QueryEvaluationError",
        `The ${name} parameter cannot be parsed as a long value: ${where}`,
      );
    }
    if (v < 0) {
      throw new StatesError(
        sec.kind === "path" ? "States.Runtime" : "States.QueryEvaluationError",
        `The ${name} parameter references a negative value: ${where}`,
      );
    }
    return ctx.now + v * 1000;
  }
  const ts = st.waitTimestamp;
  if (!ts) return ctx.now;
  let v: Json | undefined;
  if (ts.kind === "literal") v = ts.value;
  else if (ts.kind === "path") v = ts.path.get(pathScope(ctx, frame, input));
  else v = await ts.expr.evaluate(jsonataScope(ctx, frame, frame.input));
  const at = parseTimestamp(v);
  if (Number.isNaN(at)) {
    const name = ts.kind === "path" ? "TimestampPath" : "Timestamp";
    const shown =
      ts.kind === "path"
        ? `${ts.path.source} == ${JSON.stringify(v ?? null)}`
        : JSON.stringify(v ?? null);
    throw new StatesError(
      ts.kind === "jsonata" ? "States.QueryEvaluationError" : "States.Runtime",
      `The ${name} parameter does not reference a valid ISO-8601 extended offset date-time format string: ${shown}`,
    );
  }
  return at;
}

function finishWait(ctx: Ctx, frame: Frame): Outcome | Promise<Outcome> {
  const st = frame.state;
  const input = st.ql === "JSONata" ? frame.input : jsonPathEffectiveInput(ctx, frame, st);
  return moveOn(ctx, frame, input, st.assign, st.output, st.next);
}

export async function executeWait(ctx: Ctx, frame: Frame): Promise<Outcome> {
  const st = frame.state;
  const input = st.ql === "JSONPath" ? jsonPathEffectiveInput(ctx, frame, st) : frame.input;
  const at = await dueTime(ctx, frame, input);
  if (at <= ctx.now) return finishWait(ctx, frame);
  const id = nextId(ctx, "timer");
  frame.pending = { kind: "wait", timerId: id };
  ctx.s.waiters.set(id, { frame, role: "wait" });
  ctx.commands.push({ kind: "timer", id, at });
  return { kind: "wait" };
}

/** The wait's timer fired. */
export async function onWaitTimer(
  ctx: Ctx,
  frame: Frame,
  timerId: string,
): Promise<Outcome | undefined> {
  if (frame.pending?.kind !== "wait" || frame.pending.timerId !== timerId) return undefined;
  ctx.s.waiters.delete(timerId);
  frame.pending = undefined;
  try {
    return await finishWait(ctx, frame);
  } catch (e) {
    return failureOf(ctx, frame, e);
  }
}
