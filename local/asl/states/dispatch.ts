/**
 * Runs a state's work (after its Entered event, and again on each retry) by type, turning the
 * engine's runtime errors into failure outcomes.
 */
import type { Outcome } from "../io.ts";
import type { Ctx, Frame } from "../snapshot.ts";
import { executeChoice } from "./choice.ts";
import { executeFail } from "./fail.ts";
import { failureOf } from "./failure.ts";
import { executeMap } from "./map.ts";
import { executeParallel } from "./parallel.ts";
import { executePass } from "./pass.ts";
import { executeSucceed } from "./succeed.ts";
import { executeTask } from "./task.ts";
import { executeWait } from "./wait.ts";

const HANDLERS = {
  Pass: executePass,
  Task: executeTask,
  Choice: executeChoice,
  Wait: executeWait,
  Succeed: executeSucceed,
  Fail: executeFail,
  Map: executeMap,
  Parallel: executeParallel,
} as const;

/** Runs the current state of `frame`; never throws a StatesError (sync for sync states). */
export function executeState(ctx: Ctx, frame: Frame): Outcome | Promise<Outcome> {
  try {
    const out = HANDLERS[frame.state.type](ctx, frame);
    if (out instanceof Promise) return out.catch((e: unknown) => failureOf(ctx, frame, e));
    return out;
  } catch (e) {
    return failureOf(ctx, frame, e);
  }
}
