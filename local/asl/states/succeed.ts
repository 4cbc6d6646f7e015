/** The Succeed state: ends its branch successfully (InputPath/OutputPath or Output apply). */
import { applyOutputPath, jsonataScope, jsonPathEffectiveInput, type Outcome } from "../io.ts";
import type { Ctx, Frame } from "../runtime.ts";

export async function executeSucceed(ctx: Ctx, frame: Frame): Promise<Outcome> {
  const st = frame.state;
  if (st.ql === "JSONata") {
    const output = st.output
      ? await st.output.evaluate(jsonataScope(ctx, frame, frame.input))
      : frame.input;
    return { kind: "next", output, next: undefined };
  }
  const input = jsonPathEffectiveInput(ctx, frame, st);
  return { kind: "next", output: applyOutputPath(ctx, frame, st, input), next: undefined };
}
