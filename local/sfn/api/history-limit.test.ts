/**
 * Issue 16: a two-state Pass loop stops at 25,000 history events as AWS does, and reading its
 * history pages through the stored records without building the whole history in memory.
 *
 * Why no timing here: "other calls answer within 100 ms while the history is read" is a wall-clock
 * figure that load on a shared machine moves at will, so it lives in `npm run bench`
 * (`bench/history-section.ts`: DescribeExecution latency over HTTP while a client reads the
 * 25,000 events six times, and the peak RSS). What makes that figure hold is asserted here,
 * deterministically: the work of one GetExecutionHistory call is bounded by its page size, not by
 * the history's length or the page's depth. The decoder of stored records is wrapped (not
 * replaced) to count the events each call decodes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { VirtualClock } from "../clock.ts";
import { createRuntime, type SfnRuntime } from "../runtime.ts";
import { decodeHistory } from "../store/sqlite/history-codec.ts";
import { HISTORY_CHUNK } from "../store/store.ts";

vi.mock("../store/sqlite/history-codec.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../store/sqlite/history-codec.ts")>();
  return { ...original, decodeHistory: vi.fn(original.decodeHistory) };
});

const LOOP = {
  StartAt: "Ping",
  States: { Ping: { Type: "Pass", Next: "Pong" }, Pong: { Type: "Pass", Next: "Ping" } },
};
const dir = mkdtempSync(join(tmpdir(), "sfn-history-limit-"));
let runtime: SfnRuntime;
let executionArn = "";

/** Events decoded from stored records while `read` runs. */
function decodedDuring<T>(read: () => T): { result: T; decoded: number } {
  const spy = vi.mocked(decodeHistory);
  spy.mockClear();
  const result = read();
  const decoded = spy.mock.results.reduce(
    (n, r) => n + (r.type === "return" ? (r.value as unknown[]).length : 0),
    0,
  );
  return { result, decoded };
}

beforeAll(async () => {
  runtime = createRuntime({ dataDir: dir, clock: new VirtualClock(Date.UTC(2026, 0, 1)) });
  const { stateMachineArn } = runtime.createStateMachine({
    name: "ping-pong",
    definition: JSON.stringify(LOOP),
  });
  ({ executionArn } = await runtime.startExecution({
    stateMachineArn,
    input: JSON.stringify({ pad: "x".repeat(2048) }),
  }));
});

afterAll(async () => {
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a two-state Pass loop", () => {
  it("stops at 25,000 events as AWS does: event 25,000 is ExecutionFailed, States.Runtime", async () => {
    const d = await runtime.waitForExecution(executionArn);
    expect(d).toMatchObject({
      status: "FAILED",
      error: "States.Runtime",
      cause: "The execution reached the maximum number of history events (25000).",
    });
    const [last] = runtime.getExecutionHistory({
      executionArn,
      reverseOrder: true,
      maxResults: 1,
    }).events;
    expect(last).toMatchObject({ id: 25_000, type: "ExecutionFailed" });
  });

  it("pages its history: each call decodes at most its page and two stored records", async () => {
    await runtime.waitForExecution(executionArn);
    // The page and the one event that says whether another follows, plus the parts of the records
    // at either end that fall outside it.
    const bound = 1000 + 1 + 2 * (HISTORY_CHUNK - 1);
    let nextToken: string | undefined;
    let expectedId = 1;
    let pages = 0;
    do {
      const { result, decoded } = decodedDuring(() =>
        runtime.getExecutionHistory({ executionArn, maxResults: 1000, nextToken }),
      );
      // Page 25 costs what page 1 costs: the read starts at the page, not at event 1.
      expect(decoded, `page ${pages + 1}`).toBeLessThanOrEqual(bound);
      for (const e of result.events) expect(e.id).toBe(expectedId++);
      nextToken = result.nextToken;
      pages++;
    } while (nextToken);
    expect(expectedId - 1).toBe(25_000);
    expect(pages).toBe(25);
  });

  it("reads backwards from the end the same way", async () => {
    await runtime.waitForExecution(executionArn);
    const first = decodedDuring(() =>
      runtime.getExecutionHistory({ executionArn, reverseOrder: true, maxResults: 10 }),
    );
    expect(first.result.events.map((e) => e.id)).toEqual(
      Array.from({ length: 10 }, (_, i) => 25_000 - i),
    );
    expect(first.decoded).toBeLessThanOrEqual(2 * HISTORY_CHUNK);
    const deep = decodedDuring(() =>
      runtime.getExecutionHistory({
        executionArn,
        reverseOrder: true,
        maxResults: 100,
        nextToken: first.result.nextToken,
      }),
    );
    expect(deep.result.events[0]?.id).toBe(24_990);
    expect(deep.decoded).toBeLessThanOrEqual(100 + 2 * HISTORY_CHUNK);
  });
});
