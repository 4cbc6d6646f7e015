/**
 * `npm start` end to end: the real `npm start` process brings the platform up, its demo
 * approval link works over HTTP, state survives SIGKILL, and bad setups get one-line errors.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readUrls } from "../../local/platform/data-dir.ts";
import {
  BIN,
  cli,
  cliAsync,
  eventually,
  importDemoCatalogue,
  type Started,
  startPlatform,
  stop,
  tempDataDir,
} from "./harness.ts";

const running: Started[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await stop(p.child, "SIGKILL");
});

const json = async <T>(args: string[]): Promise<T> => {
  const r = await cliAsync([...args, "--json"]);
  if (r.code !== 0) throw new Error(`countersign ${args.join(" ")} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};

// Each start boots a JVM (DynamoDB Local): give these whole-process tests room on a busy machine.
describe("npm start", { timeout: 240_000 }, () => {
  it("serves a demo order whose emailed link approves it, and the order succeeds", async () => {
    const dataDir = tempDataDir();
    const p = await startPlatform(["--data-dir", dataDir, "--port", "0"], { viaNpm: true });
    running.push(p);
    expect(p.demoLink).toBeDefined();

    const page = await fetch(p.demoLink!);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('name="decision"');
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    const url = new URL(p.demoLink!);
    const sig = url.searchParams.get("sig")!;
    const decided = await fetch(`${url.origin}${url.pathname}`, {
      method: "POST",
      headers: { origin: url.origin },
      body: new URLSearchParams({ sig, csrf: csrf!, decision: "approve", comment: "demo ok" }),
    });
    expect(decided.status).toBe(200);

    const orderId = /Demo order (\S+)/.exec(p.output())![1];
    const done = await eventually(async () => {
      const list = await json<{ executions: { name: string; status: string }[] }>([
        "executions",
        "list",
        "--data-dir",
        dataDir,
      ]);
      const e = list.executions.find((x) => x.name === orderId);
      return e && e.status !== "RUNNING" ? e : undefined;
    }, 120_000);
    expect(done.status).toBe("SUCCEEDED");
    const orders = await json<{ orderId: string; status: string }[]>([
      "orders",
      "list",
      "--data-dir",
      dataDir,
    ]);
    expect(orders.find((o) => o.orderId === orderId)?.status).toBe("COMPLETED");
  });

  it("prints one clean block, logs to the data directory (--verbose shows it), and keeps one demo request across a restart", async () => {
    const dataDir = tempDataDir();
    const first = await startPlatform(["--data-dir", dataDir, "--port", "0"], { viaNpm: true });
    running.push(first);
    const orderId = /Demo order (\S+) is waiting for approval\. Open:/.exec(first.output())?.[1];
    const expenseId = /Demo expense (\S+) is waiting/.exec(first.output())?.[1];
    expect(orderId).toBeDefined();
    expect(expenseId).toBeDefined();
    // The handlers logged the approval request (Powertools JSON) — into the log, not the block.
    const log = join(dataDir, "platform.log");
    await eventually(() => readFileSync(log, "utf8").includes('"message":"approval requested"'));
    expect(first.output()).not.toMatch(/^\s*[{[]/m);
    expect(first.output()).not.toContain("Starting DynamoDB Local");
    expect(first.output().trim().split("\n")).toEqual([
      "Starting Countersign…",
      "",
      expect.stringMatching(/^Countersign is running \(\d+\.\d s\)$/),
      expect.stringMatching(/^ {2}Dashboard: {7}http:\/\/127\.0\.0\.1:\d+\/$/),
      expect.stringMatching(/^ {2}API: {13}http:\/\/127\.0\.0\.1:\d+$/),
      expect.stringMatching(/^ {2}Step Functions: {2}http:/),
      expect.stringMatching(/^ {2}DynamoDB Local: {2}http:/),
      expect.stringMatching(/^ {2}SES outbox: {6}http:.*\(npx countersign outbox list\)$/),
      `  Data:            ${dataDir}   (log: ${log}; --verbose shows it here)`,
      "",
      `Demo order ${orderId} is waiting for approval. Open:`,
      expect.stringMatching(/^ {2}http:\/\/127\.0\.0\.1:\d+\/approvals\/\S+\?sig=\S+$/),
      expect.stringMatching(/^Demo expense demo-exp-\S+ is waiting in the inbox too\.$/),
      "",
      "Press Ctrl-C to stop.",
    ]);
    // Nothing in the data directory but what the platform keeps (no probe files left behind).
    expect(readdirSync(dataDir).filter((f) => f.startsWith("."))).toEqual([]);
    await stop(first.child);

    const second = await startPlatform(["--data-dir", dataDir, "--port", "0", "--verbose"]);
    running.push(second);

    expect(second.output()).toContain(
      `Demo order ${orderId} is still waiting for approval (no new one was placed). Open:`,
    );
    // --verbose: the log's lines are shown too.
    expect(second.output()).toContain("Starting DynamoDB Local and the SES outbox…");
    expect(second.output()).toContain(
      `Demo expense ${expenseId} is still waiting in the inbox too (no new one was started).`,
    );
    const pending = await json<{ context: { orderId?: string; expenseId?: string } }[]>([
      "approvals",
      "list",
      "--data-dir",
      dataDir,
    ]);
    expect(pending.map((a) => a.context.orderId ?? a.context.expenseId).sort()).toEqual(
      [orderId, expenseId].sort(),
    );
    // The link shown again is on the platform's new port, and opens the request.
    expect(second.demoLink?.startsWith(`${second.api}/approvals/`)).toBe(true);
    const page = await fetch(second.demoLink as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="decision"');
    expect(readFileSync(log, "utf8").match(/^--- countersign start, pid \d+/gm)).toHaveLength(2);
  });

  it("start --json prints the block as one JSON object and nothing else", async () => {
    const dataDir = tempDataDir();
    const child = spawn(
      process.execPath,
      [BIN, "start", "--data-dir", dataDir, "--port", "0", "--no-demo", "--json"],
      { detached: true },
    );
    running.push({ child, output: () => "", api: "" });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    const block = await eventually(() => {
      try {
        return JSON.parse(out) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    }, 120_000);

    expect(block).toMatchObject({
      running: true,
      dataDir,
      log: join(dataDir, "platform.log"),
      urls: readUrls(dataDir),
      warnings: [],
    });
    expect(block.demo).toBeUndefined();
    expect(typeof block.startSeconds).toBe("number");
  });

  it("keeps waiting orders across SIGKILL: three approved after a restart all succeed once", async () => {
    const dataDir = tempDataDir();
    const first = await startPlatform(["--data-dir", dataDir, "--port", "0", "--no-demo"]);
    running.push(first);
    await importDemoCatalogue(dataDir);
    const placed = await Promise.all(
      [1, 2, 3].map(() =>
        json<{ orderId: string; executionArn: string }>([
          "orders",
          "place",
          "--demo",
          "--data-dir",
          dataDir,
        ]),
      ),
    );
    await eventually(
      async () =>
        (await json<unknown[]>(["approvals", "list", "--data-dir", dataDir])).length === 3,
      120_000,
    );
    await stop(first.child, "SIGKILL");

    const second = await startPlatform(["--data-dir", dataDir, "--port", "0", "--no-demo"]);
    running.push(second);
    const pending = await json<{ approvalId: string; context: { orderId: string } }[]>([
      "approvals",
      "list",
      "--data-dir",
      dataDir,
    ]);
    expect(pending.map((a) => a.context.orderId).sort()).toEqual(
      placed.map((o) => o.orderId).sort(),
    );
    // The approval emails of the orders still waiting survived the restart in the outbox.
    const outbox = await json<{ subject: string }[]>(["outbox", "list", "--data-dir", dataDir]);
    for (const o of placed) {
      expect(outbox.map((m) => m.subject)).toContainEqual(
        expect.stringContaining(`Approval requested: Order ${o.orderId} for `),
      );
    }
    for (const a of pending) {
      const r = await cliAsync([
        "approvals",
        "decide",
        a.approvalId,
        "approve",
        "--data-dir",
        dataDir,
      ]);
      expect(r.code, r.stderr).toBe(0);
    }
    for (const o of placed) {
      const final = await eventually(async () => {
        const d = await json<{ status: string }>([
          "executions",
          "describe",
          o.executionArn,
          "--data-dir",
          dataDir,
        ]);
        return d.status !== "RUNNING" ? d : undefined;
      }, 120_000);
      expect(final.status).toBe("SUCCEEDED");
      const { events } = await json<{ events: { id: number; type: string }[] }>([
        "executions",
        "history",
        o.executionArn,
        "--data-dir",
        dataDir,
      ]);
      const ids = events.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(events.filter((e) => e.type === "ExecutionSucceeded")).toHaveLength(1);
      expect(events.filter((e) => e.type === "ExecutionStarted")).toHaveLength(1);
    }
    const approvalsLeft = await json<unknown[]>(["approvals", "list", "--data-dir", dataDir]);
    expect(approvalsLeft).toHaveLength(0);

    // Ctrl-C shuts down cleanly (npm 11 does not pass a lone SIGINT on, so this runs `node` directly).
    const exited = new Promise<number | null>((resolve) => second.child.once("exit", resolve));
    process.kill(second.child.pid as number, "SIGINT");
    expect(await exited).toBe(0);
    expect(second.output()).toContain("SIGINT: stopping");
  });
});

describe("start refuses bad setups with one line that says what to do", () => {
  it("a port already in use", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as { port: number }).port;
    const r = cli(["start", "--data-dir", tempDataDir(), "--port", String(port), "--no-demo"]);
    server.close();
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`Port ${port} is already in use.*--port`));
  });

  it("an unwritable data directory", () => {
    // Tests run as root, which ignores permission bits; a path under a file is unwritable for all.
    const file = join(tempDataDir(), "a-file");
    writeFileSync(file, "");
    const r = cli(["start", "--data-dir", join(file, "data"), "--port", "0", "--no-demo"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/not writable.*--data-dir/);
  });

  it("a missing Java", () => {
    const r = cli(["start", "--data-dir", tempDataDir(), "--port", "0", "--no-demo"], {
      ...process.env,
      PATH: "/nonexistent",
      JAVA_HOME: "",
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/Java/);
  });
});
