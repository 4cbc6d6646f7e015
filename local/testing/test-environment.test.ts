/**
 * The testing library beyond its README example: AWS's mock config file with a test case per
 * start, time travel for one run while another keeps the environment's clock, and options that
 * cannot work refused with the option named.
 */
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createTestEnvironment, type TestEnvironment } from "./test-environment.ts";
import "./vitest.ts";

const example = (name: string) =>
  fileURLToPath(new URL(`../sfn/mock-config/aws-example/${name}`, import.meta.url));

const WAITS = {
  StartAt: "Wait",
  States: {
    Wait: { Type: "Wait", Seconds: 86_400, Next: "Done" },
    Done: { Type: "Pass", End: true },
  },
};

const envs: TestEnvironment[] = [];
afterEach(async () => {
  for (const e of envs.splice(0)) await e.close();
});

describe("createTestEnvironment", () => {
  it("runs a MockConfigFile.json test case per start (AWS's example, RetryPath)", async () => {
    const env = await createTestEnvironment({
      file: example("LambdaSQSIntegration.asl.json"),
      mockConfig: example("MockConfigFile.json"),
    });
    envs.push(env);

    const run = await env.start({}, { testCase: "RetryPath" });
    await run.result();

    expect(run).toHaveSucceeded();
    expect(run).toHavePassedThrough("LambdaState", 1);
    expect(run.history().filter((e) => e.type === "TaskFailed")).toHaveLength(3);
    // 2 + 4 + 8 seconds of back-off passed on the virtual clock, none on the wall clock.
    expect(env.now().getTime() - Date.UTC(2025, 0, 1)).toBe(14_000);
  });

  it("advances one run's clock; the other keeps waiting", async () => {
    const env = await createTestEnvironment({ definition: WAITS });
    envs.push(env);
    const moved = await env.start({ n: 1 });
    const stays = await env.start({ n: 2 });

    await moved.advance("25h");

    expect(moved).toHaveSucceeded();
    expect(stays.status).toBe("RUNNING");
    const ended = moved.history().at(-1)?.timestamp as Date;
    expect(ended.toISOString()).toBe("2025-01-02T00:00:00.000Z");
  });

  it.each([
    [{}, /exactly one of `definition`.*or `file`/],
    [{ definition: WAITS, file: "x.json" }, /exactly one of `definition`/],
    [{ file: "/no/such.asl.json" }, /file: cannot read \/no\/such.asl.json/],
    [
      {
        definition: {
          StartAt: "P",
          States: { P: { Type: "Pass", Result: "${Table}", End: true } },
        },
      },
      /substitutions: the definition has \$\{Table\} and no value for it/,
    ],
    [{ definition: WAITS, clock: "real" }, /clock: only "virtual" is supported/],
    [
      { definition: WAITS, mocks: { Wait: { first: { Return: 1 } } } },
      /mocks: .*"first": must be an invocation number/,
    ],
  ])("refuses %j naming the option", async (options, message) => {
    const made = createTestEnvironment(options as never);

    await expect(made).rejects.toThrow(message);
  });

  it("says where a run is when it never reaches the awaited state", async () => {
    const env = await createTestEnvironment({ definition: WAITS });
    envs.push(env);
    const run = await env.start();

    await expect(run.waitForTaskToken("Approve", { within: "1h" })).rejects.toThrow(
      /is not waiting at Approve and has nothing left to run before .*; its path: Wait/,
    );
  });
});
