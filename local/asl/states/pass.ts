/** The Pass state: passes its input (or its Result) to its output, per AWS's "Pass workflow state". */
import { completeState, jsonPathEffectiveInput, type Outcome } from "../io.ts";
import type { Ctx, Frame } from "../snapshot.ts";

export function executePass(ctx: Ctx, frame: Frame): Outcome | Promise<Outcome> {
  const st = frame.state;
  if (st.ql === "JSONata") return completeState(ctx, frame, st, frame.input);
  const input = jsonPathEffectiveInput(ctx, frame, st);
  return completeState(ctx, frame, st, st.result !== undefined ? st.result : input);
}
