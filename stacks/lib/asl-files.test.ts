/**
 * Every ASL file the stacks deploy: registered once, valid per asl-validator, placeholders and
 * task functions in one-to-one correspondence, and every Lambda task invocable by the role.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type FunctionName, placeholderFor, STATE_MACHINES } from "../topology.ts";
import { mayInvoke, taskStates } from "./asl-tasks.ts";
import { sagaRolePolicy } from "./iam.ts";
import { placeholdersOf, renderDefinition } from "./state-machines.ts";

type Validate = (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const validate = createRequire(import.meta.url)("asl-validator") as Validate;

const stacksDir = path.resolve(import.meta.dirname, "..");
const aslFiles = readdirSync(stacksDir).filter((f) => f.endsWith(".asl.json"));

const arnOf = (name: string) =>
  `arn:aws:lambda:us-east-1:123456789012:function:countersign-ci-${name}`;

function checkMachine(file: string, tasks: readonly FunctionName[]) {
  // Read in a hook, not at collection: a missing file then fails these tests by name.
  let text = "";
  beforeAll(() => {
    text = readFileSync(file, "utf8");
  });
  const arns = Object.fromEntries(tasks.map((t) => [t, arnOf(t)]));

  it("passes asl-validator before and after its placeholders are filled", () => {
    // The validator annotates its input, so it gets its own copy each time.
    for (const definition of [
      JSON.parse(text),
      JSON.parse(renderDefinition(text, { tasks }, (t) => arns[t]!)),
    ]) {
      const result = validate(definition, { checkPaths: true, checkArn: true });
      expect(result.errorsText("\n")).toBe("");
      expect(result.isValid).toBe(true);
    }
  });

  it("uses a placeholder for each of its task functions and no other", () => {
    expect(placeholdersOf(text)).toEqual(tasks.map(placeholderFor).sort());
  });

  it("invokes only functions the execution role may invoke, and invokes each of them", () => {
    const rendered = JSON.parse(renderDefinition(text, { tasks }, (t) => arns[t]!));
    const role = sagaRolePolicy(Object.values(arns));
    const allowed = role.Statement.find((s) =>
      s.Action.includes("lambda:InvokeFunction"),
    )!.Resource;
    const refs = taskStates(rendered);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref.functionName, `${ref.path.join("/")} (${ref.resource})`).toBeDefined();
      expect(mayInvoke(allowed, ref.functionName!), ref.path.join("/")).toBe(true);
    }
    expect(new Set(refs.map((r) => r.functionName))).toEqual(new Set(Object.values(arns)));
  });
}

describe("state machine registry", () => {
  it("lists each stacks/*.asl.json file exactly once", () => {
    const registered = STATE_MACHINES.map((m) => path.basename(m.definition));
    expect(new Set(registered).size).toBe(registered.length);
    for (const file of aslFiles) expect(registered).toContain(file);
  });
});

for (const machine of STATE_MACHINES) {
  const file = path.join(stacksDir, path.basename(machine.definition));
  describe(`${machine.definition}`, () => {
    // A registered file that is gone fails here, instead of its checks silently not running.
    it("exists", () => expect(existsSync(file), `${file} is registered but missing`).toBe(true));
    checkMachine(file, machine.tasks);
  });
}

describe("taskStates", () => {
  it("finds tasks inside Map and Parallel states and plain function ARN resources", () => {
    const refs = taskStates({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            { StartAt: "T", States: { T: { Type: "Task", Resource: arnOf("X"), End: true } } },
          ],
          Next: "M",
        },
        M: {
          Type: "Map",
          Iterator: {
            StartAt: "U",
            States: {
              U: {
                Type: "Task",
                Resource: "arn:aws:states:::lambda:invoke",
                Parameters: { FunctionName: arnOf("Y") },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    });
    expect(refs.map((r) => [r.path.join("/"), r.functionName])).toEqual([
      ["P/T", arnOf("X")],
      ["M/U", arnOf("Y")],
    ]);
  });

  it("accepts qualified ARNs only through the :* grant", () => {
    expect(mayInvoke([arnOf("X")], `${arnOf("X")}:live`)).toBe(false);
    expect(mayInvoke([arnOf("X"), `${arnOf("X")}:*`], `${arnOf("X")}:live`)).toBe(true);
    expect(mayInvoke([arnOf("X"), `${arnOf("X")}:*`], arnOf("Y"))).toBe(false);
  });
});
