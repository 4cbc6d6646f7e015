/**
 * The wire API's dispatch, over real HTTP: only the operations of its table answer, anything else
 * is AWS's UnknownOperationException (a prototype member must never reach a runtime object), and
 * generated junk never gets a 500 or changes state.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "./clock.ts";
import { createRuntime, type SfnRuntime } from "./runtime.ts";
import { type SfnServer, serveSfnApi } from "./server.ts";

let runtime: SfnRuntime;
let server: SfnServer;

beforeAll(async () => {
  runtime = createRuntime({ clock: new VirtualClock(Date.UTC(2026, 0, 1)) });
  server = await serveSfnApi(runtime, { port: 0 });
  runtime.createStateMachine({
    name: "kept",
    definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }),
  });
});
afterAll(async () => {
  await server.close();
  await runtime.close();
});

async function post(target: string, body: string) {
  const res = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": target },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** What a rejected request must leave unchanged. */
function state() {
  return JSON.stringify([
    runtime.listStateMachines({}),
    runtime.listExecutions({ maxResults: 1000 }),
  ]);
}

describe("the wire API's dispatch", () => {
  it.each([
    "constructor",
    "toString",
    "__proto__",
    "hasOwnProperty",
    "valueOf",
    "__defineGetter__",
  ])("answers UnknownOperationException for AWSStepFunctions.%s", async (name) => {
    const { status, text } = await post(`AWSStepFunctions.${name}`, "{}");
    expect(status).toBe(400);
    expect(JSON.parse(text).__type).toBe("UnknownOperationException");
    expect(text.length).toBeLessThan(2000);
  });

  it("gives 500 generated requests no 500, and a rejected one changes nothing", async () => {
    const targets = fc.oneof(
      fc.constantFrom(
        "AWSStepFunctions.CreateStateMachine",
        "AWSStepFunctions.StartExecution",
        "AWSStepFunctions.DescribeExecution",
        "AWSStepFunctions.SendTaskSuccess",
        "AWSStepFunctions.GetExecutionHistory",
        "AWSStepFunctions.UpdateStateMachine",
        "AWSStepFunctions.DeleteStateMachine",
      ),
      fc.string().map((s) => `AWSStepFunctions.${s}`),
      fc.string(),
    );
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.boolean(),
      fc.constant("arn:aws:states:us-east-1:123456789012:stateMachine:kept"),
      fc.constant("{"),
      fc.jsonValue(),
    );
    const member = fc.constantFrom(
      "name",
      "definition",
      "stateMachineArn",
      "executionArn",
      "input",
      "taskToken",
      "output",
      "roleArn",
      "maxResults",
      "nextToken",
      "__proto__",
      "constructor",
    );
    const body = fc.oneof(
      fc.dictionary(member, value).map((o) => JSON.stringify(o)),
      fc.string(),
      fc.constant("[]"),
      fc.constant("null"),
    );
    await fc.assert(
      fc.asyncProperty(targets, body, async (target, text) => {
        const before = state();
        const { status } = await post(target, text);
        expect(status, `${target} ${text}`).not.toBe(500);
        if (status >= 400) expect(state()).toBe(before);
      }),
      { numRuns: 500, seed: 16 },
    );
  });
});
