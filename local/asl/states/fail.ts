/**
 * The Fail state: ends the branch with Error and Cause, given literally, by path / intrinsic
 * (ErrorPath, CausePath) or by JSONata expression, per AWS's "Fail workflow state".
 */
import { StatesError } from "../errors.ts";
import { jsonataScope, type Outcome, pathScope } from "../io.ts";
import type { StringSource } from "../model.ts";
import type { Ctx, Frame } from "../snapshot.ts";
import type { Json } from "../types.ts";

async function resolve(
  ctx: Ctx,
  frame: Frame,
  src: StringSource | undefined,
): Promise<string | undefined> {
  if (!src) return undefined;
  let v: Json;
  if (src.kind === "literal") return src.value;
  if (src.kind === "jsonata") v = await src.expr.evaluate(jsonataScope(ctx, frame, frame.input));
  else v = (src.intrinsic ?? { evaluate: () => null }).evaluate(pathScope(ctx, frame, frame.input));
  if (typeof v !== "string") {
    throw new StatesError(
      "States.Runtime",
      `The value of the field '${src.field}' must be a string, but was: ${JSON.stringify(v)}`,
    );
  }
  return v;
}

export async function executeFail(ctx: Ctx, frame: Frame): Promise<Outcome> {
  const st = frame.state;
  const error = await resolve(ctx, frame, st.error);
  const cause = await resolve(ctx, frame, st.cause);
  const out: Outcome = { kind: "fail" };
  if (error !== undefined) out.error = error;
  if (cause !== undefined) out.cause = cause;
  return out;
}
