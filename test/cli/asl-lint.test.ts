/**
 * `countersign asl lint` as a user runs it: one finding per line (`file:location: CODE message`)
 * and a summary, `--json`, the sidecar config, and the exit codes (0 clean or warnings only,
 * 1 errors or --strict warnings, 2 a file it cannot read).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../platform/harness.ts";

const dir = mkdtempSync(join(tmpdir(), "countersign-lint-"));
const SAGA = join(ROOT, "stacks", "order-saga.asl.json");

function write(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return file;
}

const approval = (extra: Record<string, unknown> = {}) => ({
  StartAt: "Reserve",
  States: {
    Reserve: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }],
      Next: "Ask",
    },
    Ask: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: "ask", Payload: { "token.$": "$$.Task.Token" } },
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Release" }],
      End: true,
      ...extra,
    },
    Release: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }],
      Next: "Failed",
    },
    Failed: { Type: "Fail", Error: "Rejected" },
  },
});

describe("countersign asl lint", () => {
  it("finds the order saga clean (its sidecar accepts the parked-compensation callback)", () => {
    const r = cli(["asl", "lint", "stacks/order-saga.asl.json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("1 file: 0 errors, 0 warnings (1 suppressed by lint config)\n");
  });

  it("names the token task without a timeout, exits 1, and --json prints the array", () => {
    const file = write("no-timeout.asl.json", approval());
    const r = cli(["asl", "lint", file]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      new RegExp(
        `^${file}:/States/Ask: TOKEN_TASK_WITHOUT_TIMEOUT Task 'Ask' waits for a task token`,
      ),
    );
    expect(lines.at(-1)).toBe("1 file: 1 error, 0 warnings");

    const json = cli(["asl", "lint", file, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        file,
        severity: "ERROR",
        code: "TOKEN_TASK_WITHOUT_TIMEOUT",
        location: "/States/Ask",
        message: expect.stringContaining("Set TimeoutSeconds"),
      },
    ]);
  });

  it("flags a saga whose refund was taken out of the compensation chain", () => {
    const saga = JSON.parse(readFileSync(SAGA, "utf8"));
    saga.States.ShipOrder.Catch[0].Next = "ReleaseStock";
    const file = write("broken-saga.asl.json", saga);
    const r = cli(["asl", "lint", file, "--config", join(ROOT, "stacks/order-saga.asl.lint.json")]);
    expect(r.code).toBe(1);
    // The first end it finds: OrderFailed, or CompensationFailed past ParkCompensation.
    expect(r.stdout).toContain(
      `${file}:/States/ShipOrder/Catch/0: CATCH_WITHOUT_COMPENSATION The Catch of 'ShipOrder' (Next: ReleaseStock) can reach '`,
    );
    expect(r.stdout).toMatch(
      /can reach '(OrderFailed|CompensationFailed)' without undoing ChargePayment \(undone by RefundPayment\)/,
    );
    expect(r.stdout).toContain(`${file}:/States/ReleaseStock: COMPENSATION_ORDER`);
    expect(r.stdout).toMatch(/1 file: 2 errors, 0 warnings \(1 suppressed by lint config\)\n$/);
  });

  it("exits 0 on warnings, 1 with --strict; a sidecar and --read-only mark read-only tasks", () => {
    const def = {
      StartAt: "Price",
      States: {
        Price: {
          Type: "Task",
          Resource: "arn:aws:lambda:eu-west-1:123456789012:function:price",
          Next: "Echo",
        },
        Echo: { Type: "Pass", Parameters: { id: "$.id" }, End: true },
      },
    };
    const file = write("warn.json", def);
    const r = cli(["asl", "lint", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${file}:/States/Price: TASK_WITHOUT_CATCH`);
    expect(r.stdout).toContain(
      `${file}:/States/Echo/Parameters: NO_DOLLAR The value of 'id' looks like a JSONPath.`,
    );
    expect(r.stdout).toMatch(/1 file: 0 errors, 2 warnings\n$/);
    // --strict fails on the warning left once --read-only takes the task out.
    const strict = cli(["asl", "lint", file, "--strict", "--read-only", "price"]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).not.toContain("TASK_WITHOUT_CATCH");
    expect(strict.stdout).toMatch(/1 file: 0 errors, 1 warning\n$/);
    write("warn.lint.json", { readOnly: ["pri*"] });
    expect(cli(["asl", "lint", file]).stdout).toMatch(/1 file: 0 errors, 1 warning\n$/);
  });

  it("reports validation errors and bad JSON as findings; an unreadable file or config exits 2", () => {
    const broken = write("broken.asl.json", {
      StartAt: "A",
      States: { A: { Type: "Pass", Next: "B" } },
    });
    const notJson = write("not-json.asl.json", "{ nope");
    const r = cli(["asl", "lint", broken, notJson, join(dir, "missing.asl.json")]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${broken}:/States/A/Next: MISSING_TRANSITION_TARGET`);
    expect(r.stdout).toContain(`${notJson}:/: INVALID_JSON_DESCRIPTION`);
    expect(r.stdout).toMatch(/3 files: 2 errors, 0 warnings\n$/);
    expect(r.stderr).toBe(
      `countersign: cannot read definition ${join(dir, "missing.asl.json")}: no such file\n`,
    );

    const config = write("typo.lint.json", { readonly: ["x"] });
    const bad = cli(["asl", "lint", broken, "--config", config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown field 'readonly'");
  });
});
