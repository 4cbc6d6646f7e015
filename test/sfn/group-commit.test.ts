/**
 * Group commit: the steps of every execution that advanced in one event-loop turn are written in
 * one transaction. Each caller is answered only once that transaction is durable, and a step that
 * fails to write is undone alone.
 */
import { afterEach, expect, it, vi } from "vitest";
import { Executor } from "../../local/sfn/executor/executor.ts";
import { createRuntime, VirtualClock } from "../../local/sfn/index.ts";
import { openStore } from "../../local/sfn/store/index.ts";
import { tempDir } from "./helpers.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const chain = {
  StartAt: "A",
  States: {
    A: { Type: "Pass", Result: { step: "a" }, ResultPath: "$.a", Next: "B" },
    B: { Type: "Pass", End: true },
  },
};
const nap = {
  StartAt: "Nap",
  States: { Nap: { Type: "Wait", Seconds: 60, Next: "Done" }, Done: { Type: "Succeed" } },
};

it("executions started together are all durable once acknowledged, and resume after a restart", async () => {
  const dir = tempDir();
  cleanups.push(dir.remove);
  const start = Date.UTC(2025, 0, 1);
  const first = createRuntime({ dataDir: dir.dir, clock: new VirtualClock(start) });
  const chainArn = first.createStateMachine({ name: "chain", definition: JSON.stringify(chain) });
  const napArn = first.createStateMachine({ name: "nap", definition: JSON.stringify(nap) });
  const started = await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      first.startExecution({
        stateMachineArn: (i % 2 ? napArn : chainArn).stateMachineArn,
        name: `e-${i}`,
        input: JSON.stringify({ i }),
      }),
    ),
  );
  await first.close();

  const clock = new VirtualClock(start);
  const second = createRuntime({ dataDir: dir.dir, clock });
  cleanups.push(() => second.close());
  const before = started.map((s) => second.describeExecution(s));
  await clock.advance(60_000);
  const after = started.map((s) => second.describeExecution(s));

  expect(before.map((d) => d.status)).toEqual(
    started.map((_, i) => (i % 2 ? "RUNNING" : "SUCCEEDED")),
  );
  expect(after.every((d) => d.status === "SUCCEEDED")).toBe(true);
  expect(JSON.parse(after[0]?.output ?? "null")).toEqual({ i: 0, a: { step: "a" } });
  const history = second.getExecutionHistory({ executionArn: started[1]?.executionArn ?? "" });
  expect(history.events.map((e) => e.type)).toEqual([
    "ExecutionStarted",
    "WaitStateEntered",
    "WaitStateExited",
    "SucceedStateEntered",
    "SucceedStateExited",
    "ExecutionSucceeded",
  ]);
});

it("a step that fails to write fails its own caller only; the rest of the turn commits", async () => {
  const store = openStore();
  cleanups.push(() => store.close());
  const executor = new Executor({
    store,
    clock: new VirtualClock(Date.UTC(2025, 0, 1)),
    services: { mintTaskToken: (arn, id) => `${arn}/${id}` },
    runTask: async () => ({ kind: "succeeded", output: null }),
  });
  const insert = store.executions.insert.bind(store.executions);
  vi.spyOn(store.executions, "insert").mockImplementation((row, start) => {
    const next = insert(row, start);
    if (row.name === "bad") throw new Error("disk says no");
    return next;
  });
  const startOne = (name: string) =>
    executor.startExecution({
      params: {
        executionArn: `arn:aws:states:us-east-1:123456789012:execution:chain:${name}`,
        stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:chain",
        name,
        input: {},
        startTime: Date.UTC(2025, 0, 1),
        seed: "0",
        roleArn: "arn:aws:iam::123456789012:role/test",
      },
      definition: JSON.stringify(chain),
      type: "STANDARD",
      roleArn: "arn:aws:iam::123456789012:role/test",
      inputText: "{}",
    });

  const results = await Promise.allSettled([
    startOne("good-1"),
    startOne("bad"),
    startOne("good-2"),
  ]);

  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect(store.executions.get(`arn:aws:states:us-east-1:123456789012:execution:chain:bad`)).toBe(
    undefined,
  );
  expect(
    store.executions.get(`arn:aws:states:us-east-1:123456789012:execution:chain:good-2`)?.status,
  ).toBe("SUCCEEDED");
  expect(executor.execution(`arn:aws:states:us-east-1:123456789012:execution:chain:bad`)).toBe(
    undefined,
  );
});
