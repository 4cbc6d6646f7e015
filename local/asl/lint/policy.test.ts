import { describe, expect, it } from "vitest";
import { lintReport } from "./index.ts";
import { directives } from "./policy.ts";

describe("lint: directives in Comments", () => {
  it("reads flags and comma lists anywhere in the comment", () => {
    const d = directives(
      "Undoes both holds. lint:compensates=HoldSeat,HoldRoom lint:ignore=TASK_WITHOUT_CATCH; lint:read-only",
    );
    expect(Object.fromEntries(d)).toEqual({
      compensates: ["HoldSeat", "HoldRoom"],
      ignore: ["TASK_WITHOUT_CATCH"],
      "read-only": [],
    });
    expect(directives(undefined).size).toBe(0);
    expect(directives("no directives: lint is fine").size).toBe(0);
  });

  it("ignored findings are set apart, not lost, and only at the state they name", () => {
    const def = {
      StartAt: "A",
      States: {
        A: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Next: "B" },
        B: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true },
      },
    };
    const r = lintReport(def, { ignore: { A: ["TASK_WITHOUT_CATCH"] } });
    expect(r.diagnostics.map((d) => d.location)).toEqual(["/States/B"]);
    expect(r.suppressed.map((d) => d.location)).toEqual(["/States/A"]);
  });

  it("an ignore on a container does not hide findings of the states inside it", () => {
    const def = {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          Comment: "lint:ignore=TASK_WITHOUT_CATCH",
          ItemProcessor: {
            StartAt: "T",
            States: {
              T: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true },
            },
          },
          End: true,
        },
      },
    };
    expect(lintReport(def).diagnostics.map((d) => d.location)).toEqual([
      "/States/M/ItemProcessor/States/T",
    ]);
  });
});
