/** The Succeed state: ends its branch successfully (InputPath/OutputPath or Output apply). */
import { applyOutputPath, jsonataScope, jsonPathEffectiveInput, type Outcome } from "../io.ts";
import type { Ctx, Frame } from "../snapshot.ts";

export function executeSucceed(ctx: Ctx, frame: Frame): Outcome | Promise<Outcome> {
  const st = frame.state;
  if (st.ql === "JSONata") {
    if (!st.output) return { kind: "next", output: frame.input, next: undefined };
    const out = st.output.evaluate(jsonataScope(ctx, frame, frame.input));
    return Promise.resolve(out).then((output) => ({ kind: "next", output, next: undefined }));
  }
  const input = jsonPathEffectiveInput(ctx, frame, st);
  return { kind: "next", output: applyOutputPath(ctx, frame, st, input), next: undefined };
}
