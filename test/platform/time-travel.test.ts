/**
 * Time travel on a running platform, through the CLI a developer uses: of two demo orders waiting
 * for approval (24 h timeout), one is advanced by 25 h with `countersign executions advance`. It
 * times out at +24 h of its own clock, compensates (stock released, nothing charged) and ends
 * failed as a rejection; the other order is untouched — still waiting, same history — and can
 * still be approved.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  cliAsync,
  eventually,
  importDemoCatalogue,
  type Started,
  startPlatform,
  stop,
  tempDataDir,
} from "./harness.ts";

const running: Started[] = [];
afterAll(async () => {
  for (const p of running.splice(0)) await stop(p.child, "SIGKILL");
});

interface Event {
  id: number;
  type: string;
  timestamp: string;
  stateEnteredEventDetails?: { name: string };
}

describe("countersign executions advance", { timeout: 240_000 }, () => {
  it("times out one waiting order's approval after 25 h of its own clock; the other keeps waiting", async () => {
    const dataDir = tempDataDir();
    const p = await startPlatform(["--data-dir", dataDir, "--port", "0", "--no-demo"]);
    running.push(p);
    await importDemoCatalogue(dataDir);
    const json = async <T>(args: string[]): Promise<T> => {
      const r = await cliAsync([...args, "--data-dir", dataDir, "--json"]);
      if (r.code !== 0) throw new Error(`countersign ${args.join(" ")} failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    };
    const place = () =>
      json<{ orderId: string; executionArn: string }>(["orders", "place", "--demo"]);
    const advanced = await place();
    const other = await place();
    await eventually(
      async () => (await json<unknown[]>(["approvals", "list"])).length === 2,
      120_000,
    );
    const history = async (arn: string) =>
      (await json<{ events: Event[] }>(["executions", "history", arn])).events;
    const otherBefore = await history(other.executionArn);

    const r = await cliAsync([
      "executions",
      "advance",
      advanced.orderId,
      "--by",
      "25h",
      "--data-dir",
      dataDir,
    ]);

    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 timer\(s\) fired, now (FAILED|RUNNING)/);
    const ended = await eventually(async () => {
      const d = await json<{ status: string; error?: string }>([
        "executions",
        "describe",
        advanced.executionArn,
      ]);
      return d.status !== "RUNNING" ? d : undefined;
    }, 60_000);
    expect(ended).toMatchObject({ status: "FAILED", error: "ApprovalTimedOut" });
    const events = await history(advanced.executionArn);
    const entered = (name: string) =>
      events.find((e) => e.stateEnteredEventDetails?.name === name) as Event;
    const asked = Date.parse(entered("RequestApproval").timestamp);
    const timedOut = events.find((e) => e.type === "TaskTimedOut") as Event;
    // It timed out at its own +24 h, and the compensations ran right after, in reverse.
    expect(Date.parse(timedOut.timestamp) - asked).toBe(24 * 3600 * 1000);
    const path = events.flatMap((e) => e.stateEnteredEventDetails?.name ?? []);
    expect(path.slice(path.indexOf("RequestApproval"))).toEqual([
      "RequestApproval",
      "ReleaseStock",
      "MarkOrderFailed",
      "NotifyFailure",
      "OrderFailed",
    ]);
    const orders = await json<{ orderId: string; status: string }[]>(["orders", "list"]);
    expect(orders.find((o) => o.orderId === advanced.orderId)?.status).toBe("FAILED");

    // The other order did not move: still waiting, the same history, its approval still open.
    expect(
      (await json<{ status: string }>(["executions", "describe", other.executionArn])).status,
    ).toBe("RUNNING");
    expect(await history(other.executionArn)).toEqual(otherBefore);
    const pending = await json<{ approvalId: string; context: { orderId: string } }[]>([
      "approvals",
      "list",
    ]);
    const open = pending.find((a) => a.context.orderId === other.orderId);
    expect(open).toBeDefined();
    const decided = await cliAsync([
      "approvals",
      "decide",
      open?.approvalId as string,
      "approve",
      "--data-dir",
      dataDir,
    ]);
    expect(decided.code, decided.stderr).toBe(0);
    const done = await eventually(async () => {
      const d = await json<{ status: string }>(["executions", "describe", other.executionArn]);
      return d.status !== "RUNNING" ? d : undefined;
    }, 60_000);
    expect(done.status).toBe("SUCCEEDED");
  });
});
