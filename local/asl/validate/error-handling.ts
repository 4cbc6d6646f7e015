/**
 * Retry and Catch checks per AWS's "Handling errors in Step Functions workflows": ErrorEquals is a
 * non-empty array of error names; `States.ALL` must stand alone and in the last retrier/catcher;
 * retrier numbers are in range; catchers have a Next.
 */
import type { Json } from "../types.ts";
import { type Checker, describe, isObject, pointer, type StateScope } from "./context.ts";
import {
  checkJsonataValue,
  checkNumberField,
  checkPathField,
  checkPayloadTemplate,
} from "./expressions.ts";

const RETRIER_FIELDS = new Set([
  "ErrorEquals",
  "IntervalSeconds",
  "MaxAttempts",
  "BackoffRate",
  "MaxDelaySeconds",
  "JitterStrategy",
  "Comment",
]);
const CATCHER_FIELDS = new Set([
  "ErrorEquals",
  "Next",
  "ResultPath",
  "Output",
  "Assign",
  "Comment",
]);

function checkErrorEquals(
  c: Checker,
  at: string,
  value: Json | undefined,
  isLast: boolean,
  kind: string,
): void {
  const here = pointer(at, "ErrorEquals");
  if (value === undefined) {
    c.schema(
      here,
      `These fields are required: [ErrorEquals]. List the error names this ${kind} handles, e.g. ["States.TaskFailed"].`,
    );
    return;
  }
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((e) => typeof e === "string" && e !== "")
  ) {
    c.schema(
      here,
      `ErrorEquals must be a non-empty array of error names; found ${describe(value)}.`,
    );
    return;
  }
  if (value.includes("States.ALL")) {
    if (value.length > 1) {
      c.schema(
        here,
        "States.ALL must appear alone in ErrorEquals; remove the other error names or move them to an earlier entry.",
      );
    }
    if (!isLast) {
      c.schema(
        here,
        `States.ALL must be in the last ${kind}; move this entry to the end so the more specific ones are tried first.`,
      );
    }
  }
}

export function checkRetry(s: StateScope): void {
  const { state, at, checker: c } = s;
  if (state.Retry === undefined) return;
  const here = pointer(at, "Retry");
  if (!Array.isArray(state.Retry)) {
    c.schema(here, "Retry must be an array of retriers.");
    return;
  }
  state.Retry.forEach((r, i) => {
    const rat = pointer(here, i);
    if (!isObject(r)) {
      c.schema(rat, `Each retrier must be an object; found ${describe(r)}.`);
      return;
    }
    for (const k of Object.keys(r)) {
      if (!RETRIER_FIELDS.has(k)) {
        c.schema(
          pointer(rat, k),
          `Field '${k}' is not supported in a retrier; use ErrorEquals, IntervalSeconds, MaxAttempts, BackoffRate, MaxDelaySeconds or JitterStrategy.`,
        );
      }
    }
    checkErrorEquals(c, rat, r.ErrorEquals, i === (state.Retry as Json[]).length - 1, "retrier");
    checkNumberField(
      c,
      pointer(rat, "IntervalSeconds"),
      "IntervalSeconds",
      r.IntervalSeconds,
      false,
      { min: 1, integer: true, max: 99999999 },
    );
    checkNumberField(c, pointer(rat, "MaxAttempts"), "MaxAttempts", r.MaxAttempts, false, {
      min: 0,
      integer: true,
      max: 99999999,
    });
    checkNumberField(c, pointer(rat, "BackoffRate"), "BackoffRate", r.BackoffRate, false, {
      min: 1,
    });
    checkNumberField(
      c,
      pointer(rat, "MaxDelaySeconds"),
      "MaxDelaySeconds",
      r.MaxDelaySeconds,
      false,
      { min: 1, integer: true, max: 31622400 },
    );
    if (
      r.JitterStrategy !== undefined &&
      r.JitterStrategy !== "FULL" &&
      r.JitterStrategy !== "NONE"
    ) {
      c.schema(
        pointer(rat, "JitterStrategy"),
        `JitterStrategy must be "FULL" or "NONE"; found ${describe(r.JitterStrategy)}.`,
      );
    }
  });
}

/** Checks catchers; returns their Next targets with locations for the transition check. */
export function checkCatch(s: StateScope): { target: string; at: string }[] {
  const { state, at, checker: c } = s;
  if (state.Catch === undefined) return [];
  const here = pointer(at, "Catch");
  if (!Array.isArray(state.Catch)) {
    c.schema(here, "Catch must be an array of catchers.");
    return [];
  }
  const targets: { target: string; at: string }[] = [];
  state.Catch.forEach((r, i) => {
    const cat = pointer(here, i);
    if (!isObject(r)) {
      c.schema(cat, `Each catcher must be an object; found ${describe(r)}.`);
      return;
    }
    for (const k of Object.keys(r)) {
      if (!CATCHER_FIELDS.has(k)) {
        c.schema(
          pointer(cat, k),
          `Field '${k}' is not supported in a catcher; use ErrorEquals, Next, ${s.language === "JSONata" ? "Output" : "ResultPath"} or Assign.`,
        );
      } else if (k === "ResultPath" && s.language === "JSONata") {
        c.schema(
          pointer(cat, k),
          "ResultPath is JSONPath-only; in a JSONata state use Output with $states.errorOutput.",
        );
      } else if (k === "Output" && s.language === "JSONPath") {
        c.schema(
          pointer(cat, k),
          "Output in a catcher is JSONata-only; in a JSONPath state use ResultPath.",
        );
      }
    }
    checkErrorEquals(c, cat, r.ErrorEquals, i === (state.Catch as Json[]).length - 1, "catcher");
    if (typeof r.Next !== "string" || r.Next === "") {
      c.schema(
        pointer(cat, "Next"),
        "These fields are required: [Next]. Name the state to go to when this catcher matches.",
      );
    } else {
      targets.push({ target: r.Next, at: pointer(cat, "Next") });
    }
    if (s.language === "JSONPath") {
      checkPathField(c, pointer(cat, "ResultPath"), "ResultPath", r.ResultPath, "result", true);
      if (r.Assign !== undefined) checkPayloadTemplate(c, pointer(cat, "Assign"), r.Assign);
    } else {
      checkJsonataValue(c, pointer(cat, "Output"), "Output", r.Output);
      checkJsonataValue(c, pointer(cat, "Assign"), "Assign", r.Assign);
    }
  });
  return targets;
}
