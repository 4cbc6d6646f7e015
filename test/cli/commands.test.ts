/**
 * The `countersign` CLI end to end: every command that talks to a running platform, run as a
 * child process against ONE real platform (`countersign start --no-demo`, started once for the
 * file), the way a developer or a script uses it — human output, `--json`, exit codes and errors.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { DescribeExecutionCommand, SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboxMail } from "../../functions/api/deps.ts";
import type { PlatformUrls } from "../../local/platform/data-dir.ts";
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
} from "../platform/harness.ts";

/** The harness's non-blocking `cli`: independent commands run side by side. */
const run = cliAsync;
type Run = Awaited<ReturnType<typeof run>>;

/** A failed command's whole complaint: exit 1 and exactly one line on stderr. */
function expectOneLineError(r: Run, pattern: RegExp): void {
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

async function deadPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

let platform: Started;
let dataDir: string;
let urls: PlatformUrls;
let sfn: SFNClient;
const at = () => ["--data-dir", dataDir];

/** Real time: the saga runs in the platform process. */
const finished = (executionArn: string) =>
  eventually(async () => {
    const e = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return e.status !== "RUNNING" ? e.status : undefined;
  }, 60_000);

interface Placed {
  orderId: string;
  executionArn: string;
  started?: boolean;
}
interface Approval {
  approvalId: string;
  title: string;
  /** The order saga's context: its order id (the approvals know nothing of orders). */
  context: { orderId: string };
  executionArn: string;
  approvers: string[];
  approvals: unknown[];
  required: number;
  status: string;
  summary: { type: string; label: string; currency?: string }[];
}
interface HistoryEvent {
  id: number;
  previousEventId: number;
  type: string;
  timestamp: string;
  stateEnteredEventDetails?: { name: string };
  taskSucceededEventDetails?: { output: string };
}
const entered = (events: HistoryEvent[]) =>
  events.flatMap((e) => (e.stateEnteredEventDetails ? [e.stateEnteredEventDetails.name] : []));

// What the tests share, in order: a small order (no approval), one demo order to approve and one
// to reject.
const suffix = Date.now().toString(36);
const small = `cli-small-${suffix}`;
let approved: Placed;
let rejected: Placed;
let approvals: Approval[];

beforeAll(async () => {
  dataDir = tempDataDir();
  platform = await startPlatform(["--data-dir", dataDir, "--port", "0", "--no-demo"], {
    timeoutMs: 180_000,
  });
  urls = JSON.parse(readFileSync(join(dataDir, "urls.json"), "utf8")) as PlatformUrls;
  // --no-demo starts as empty as a fresh stage: the demo orders need the demo catalogue.
  await importDemoCatalogue(dataDir);
  sfn = new SFNClient({
    endpoint: urls.stepFunctions,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}, 200_000);

afterAll(async () => {
  if (platform) await stop(platform.child);
});

describe("countersign CLI against a running platform", { timeout: 120_000 }, () => {
  it("orders place <file> and --demo start the saga and print {orderId, executionArn}", async () => {
    const file = join(dataDir, "small-order.json");
    writeFileSync(
      file,
      JSON.stringify({
        orderId: small,
        customer: { name: "Grace Hopper", email: "grace@example.com" },
        currency: "EUR",
        lines: [{ sku: "MOUSE", quantity: 1 }],
        payment: { method: "pm_card_visa" },
        shipping: { line1: "1 Navy Way", city: "Arlington", postalCode: "22202", country: "US" },
      }),
    );
    const [fromFile, demo, human] = await Promise.all([
      run(["orders", "place", file, ...at(), "--json"]),
      run(["orders", "place", "--demo", ...at(), "--json"]),
      run(["orders", "place", "--demo", ...at()]),
    ]);

    expect(fromFile.code, fromFile.stderr).toBe(0);
    const placed = JSON.parse(fromFile.stdout) as Placed;
    expect(placed).toEqual({
      orderId: small,
      executionArn: `arn:aws:states:us-east-1:000000000000:execution:OrderSaga:${small}`,
      started: true,
    });
    expect(demo.code, demo.stderr).toBe(0);
    approved = JSON.parse(demo.stdout) as Placed;
    expect(approved.executionArn).toMatch(new RegExp(`:execution:OrderSaga:${approved.orderId}$`));
    expect(human.code, human.stderr).toBe(0);
    const [, orderId, executionArn] =
      /^Placed (\S+)\n\s+execution: (\S+)$/.exec(human.stdout.trim()) ?? [];
    expect(executionArn).toMatch(/:execution:OrderSaga:/);
    rejected = { orderId: orderId as string, executionArn: executionArn as string };

    // Below the approval threshold: the saga runs through without anyone deciding.
    expect(await finished(placed.executionArn)).toBe("SUCCEEDED");

    // The order id is the execution name: the same order again is the same order, even after its
    // execution finished — a repeat, reported with its status, that starts nothing; other
    // contents under that id are refused.
    const changed = join(dataDir, "small-order-changed.json");
    const order = JSON.parse(readFileSync(file, "utf8")) as { lines: { quantity: number }[] };
    order.lines[0]!.quantity = 2;
    writeFileSync(changed, JSON.stringify(order));
    const [again, againHuman, other] = await Promise.all([
      run(["orders", "place", file, ...at(), "--json"]),
      run(["orders", "place", file, ...at()]),
      run(["orders", "place", changed, ...at()]),
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      ...placed,
      started: false,
      executionStatus: "SUCCEEDED",
      orderStatus: "COMPLETED",
    });
    expect(againHuman.code, againHuman.stderr).toBe(0);
    expect(againHuman.stdout).toMatch(
      new RegExp(
        `^Order ${small} was placed before; this is a repeat and nothing new was started\\.`,
      ),
    );
    expect(againHuman.stdout).toMatch(/^ {2}order: {5}COMPLETED$/m);
    expect(againHuman.stdout).toMatch(/^ {2}execution: SUCCEEDED /m);
    expectOneLineError(other, new RegExp(`Order ${small} was already placed with other contents`));
  });

  it("orders place refuses a bad order file with one line that names the problem", async () => {
    const invalid = join(dataDir, "invalid-order.json");
    writeFileSync(
      invalid,
      JSON.stringify({
        orderId: `cli-bad-${suffix}`,
        customer: { name: "Bad Email", email: "not-an-email" },
        currency: "EUR",
        lines: [{ sku: "MOUSE", quantity: 1 }],
        payment: { method: "pm_card_visa" },
        shipping: { line1: "x", city: "y", postalCode: "z", country: "GB" },
      }),
    );
    const notJson = join(dataDir, "order.txt");
    writeFileSync(notJson, "orderId: 1\n");
    const [bad, text, missing, nothing] = await Promise.all([
      run(["orders", "place", invalid, ...at()]),
      run(["orders", "place", notJson, ...at()]),
      run(["orders", "place", join(dataDir, "missing.json"), ...at()]),
      run(["orders", "place", ...at()]),
    ]);

    expectOneLineError(
      bad,
      /^countersign: The order is refused, nothing was started: customer\.email: must be an email address$/m,
    );
    expectOneLineError(text, /order\.txt is not JSON/);
    expectOneLineError(missing, /missing\.json: no such file/);
    expectOneLineError(nothing, /needs an order file or --demo/);
    // Refused before anything started.
    const arn = `arn:aws:states:us-east-1:000000000000:execution:OrderSaga:cli-bad-${suffix}`;
    const started = await sfn.send(new DescribeExecutionCommand({ executionArn: arn })).then(
      () => "started",
      (e: Error) => e.name,
    );
    expect(started).toBe("ExecutionDoesNotExist");
  });

  it("orders place checks the order against the catalogue first: every problem at once, in plain words, nothing started", async () => {
    const valid = {
      orderId: `cli-sku-${suffix}`,
      customer: { name: "Ada", email: "ada@example.com" },
      currency: "EUR",
      lines: [{ sku: "MOUSE", quantity: 1 }],
      payment: { method: "pm_card_visa" },
      shipping: { line1: "1 Main St", city: "Dublin", postalCode: "D01", country: "IE" },
    };
    const unknownSku = join(dataDir, "unknown-sku.json");
    writeFileSync(
      unknownSku,
      JSON.stringify({ ...valid, lines: [{ sku: "NO-SUCH-SKU", quantity: 1 }] }),
    );
    const many = join(dataDir, "many-problems.json");
    const { customer: _dropped, ...noCustomer } = valid;
    writeFileSync(
      many,
      JSON.stringify({
        ...noCustomer,
        orderId: `cli-many-${suffix}`,
        currency: "USD",
        lines: [
          { sku: "GHOST-1", quantity: 1 },
          { sku: "MOUSE", quantity: 0 },
          { sku: "MOUSE", quantity: 2 },
        ],
        shipping: "12 Analytical Row",
      }),
    );

    const [sku, all] = await Promise.all([
      run(["orders", "place", unknownSku, ...at()]),
      run(["orders", "place", many, ...at(), "--json"]),
    ]);

    expectOneLineError(
      sku,
      /^countersign: The order is refused, nothing was started: lines\[0\]\.sku: unknown SKU "NO-SUCH-SKU": the catalogue has no such product/,
    );
    expect(all.code, all.stdout).toBe(1);
    expect(all.stdout).toBe("");
    expect(all.stderr.trim().split("\n")).toEqual([
      "countersign: The order is refused (6 problems), nothing was started:",
      "  customer: required: an object with name and email",
      "  lines[1].quantity: must be ≥ 1",
      "  shipping: must be an object with line1, city, postalCode and country, not text",
      '  lines[2].sku: "MOUSE" repeats lines[1]; merge the quantities into one line',
      '  lines[0].sku: unknown SKU "GHOST-1": the catalogue has no such product (see `catalogue import`)',
      '  currency: is USD but SKU "MOUSE" is priced in EUR; order in EUR',
    ]);
    expect(all.stderr).not.toMatch(/Invalid input|expected object|received undefined/);
    // Refused before anything started: no execution, so no history holds the refused order.
    for (const orderId of [valid.orderId, `cli-many-${suffix}`]) {
      const arn = `${urls.stateMachineArn.replace(":stateMachine:", ":execution:")}:${orderId}`;
      const started = await sfn.send(new DescribeExecutionCommand({ executionArn: arn })).then(
        () => "started",
        (e: Error) => e.name,
      );
      expect(started, orderId).toBe("ExecutionDoesNotExist");
    }
  });

  it("approvals list shows the waiting approvals, and --json never carries a task token", async () => {
    approvals = await eventually(() => {
      const r = cli(["approvals", "list", ...at(), "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/taskToken|TaskToken/i);
      const items = JSON.parse(r.stdout) as Approval[];
      const ids = items.map((a) => a.context?.orderId);
      return ids.includes(approved.orderId) && ids.includes(rejected.orderId) ? items : undefined;
    });
    const mine = approvals.find((a) => a.context?.orderId === approved.orderId);
    expect(mine).toMatchObject({
      executionArn: approved.executionArn,
      status: "PENDING",
      approvers: ["manager@countersign.local", "finance@countersign.local"],
      title: expect.stringMatching(new RegExp(`^Order ${approved.orderId} for [\\d,.]+ EUR$`)),
      summary: expect.arrayContaining([
        { type: "money", label: "Total", amount: expect.any(Number), currency: "EUR" },
      ]),
    });
    expect(approvals.some((a) => a.context?.orderId === small)).toBe(false);

    const human = cli(["approvals", "list", ...at()]);
    expect(human.code).toBe(0);
    for (const a of approvals) {
      expect(human.stdout).toContain(`${a.approvalId}  Order ${a.context.orderId} for `);
      // How far each request has come, as the dashboard's inbox says it ("0 of 1 approval").
      const line = human.stdout.split("\n").find((l) => l.startsWith(a.approvalId));
      expect(line).toMatch(
        new RegExp(`  ${a.approvals.length} of ${a.required} approvals?  approvers `),
      );
      expect(line).toMatch(/expires [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M UTC$/);
    }
  });

  it("orders place of an order that is still running is a repeat: its status, nothing new", async () => {
    const input = JSON.parse(
      (
        JSON.parse(
          (await run(["executions", "describe", approved.executionArn, ...at(), "--json"])).stdout,
        ) as { input: string }
      ).input,
    ) as unknown;
    const file = join(dataDir, "waiting-order.json");
    writeFileSync(file, JSON.stringify(input));

    const [human, json] = await Promise.all([
      run(["orders", "place", file, ...at()]),
      run(["orders", "place", file, ...at(), "--json"]),
    ]);

    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/this is a repeat and nothing new was started/);
    expect(human.stdout).toMatch(/^ {2}execution: RUNNING /m);
    expect(JSON.parse(json.stdout)).toEqual({
      orderId: approved.orderId,
      executionArn: approved.executionArn,
      started: false,
      executionStatus: "RUNNING",
      orderStatus: "RESERVED",
    });
  });

  it("approvals decide approve: the comment reaches the saga and the order completes", async () => {
    const id = approvals.find((a) => a.context?.orderId === approved.orderId)!.approvalId;
    const r = cli(["approvals", "decide", id, "approve", "--comment", "fine by me", ...at()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Approved/);
    expect(await finished(approved.executionArn)).toBe("SUCCEEDED");

    const [describe, history] = await Promise.all([
      run(["executions", "describe", approved.executionArn, ...at(), "--json"]),
      run(["executions", "history", approved.executionArn, ...at(), "--json"]),
    ]);
    // DescribeExecution's shape: ISO dates, input/output as JSON strings, no SDK metadata.
    const d = JSON.parse(describe.stdout) as Record<string, unknown>;
    expect(d).toMatchObject({
      executionArn: approved.executionArn,
      stateMachineArn: urls.stateMachineArn,
      name: approved.orderId,
      status: "SUCCEEDED",
    });
    expect(d.$metadata).toBeUndefined();
    expect(new Date(d.startDate as string).toISOString()).toBe(d.startDate);
    expect(Date.parse(d.stopDate as string)).toBeGreaterThanOrEqual(
      Date.parse(d.startDate as string),
    );
    expect(JSON.parse(d.input as string)).toMatchObject({ orderId: approved.orderId });
    expect(JSON.parse(d.output as string)).toMatchObject({
      orderId: approved.orderId,
      status: "COMPLETED",
    });

    const { events } = JSON.parse(history.stdout) as { events: HistoryEvent[] };
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]?.type).toBe("ExecutionStarted");
    expect(events.at(-1)?.type).toBe("ExecutionSucceeded");
    expect(events.every((e) => new Date(e.timestamp).toISOString() === e.timestamp)).toBe(true);
    expect(entered(events)).toEqual(
      expect.arrayContaining(["RequestApproval", "ChargePayment", "ShipOrder", "NotifyCustomer"]),
    );
    const decision = events.find(
      (e) => e.taskSucceededEventDetails?.output.includes('"decision"') ?? false,
    );
    expect(JSON.parse(decision!.taskSucceededEventDetails!.output)).toMatchObject({
      decision: "approve",
      by: "manager@countersign.local",
      comment: "fine by me",
    });
  });

  it("approvals decide reject: the saga compensates and the order fails", async () => {
    const id = approvals.find((a) => a.context?.orderId === rejected.orderId)!.approvalId;
    const r = cli(["approvals", "decide", id, "reject", "--comment", "too pricey", ...at()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Rejected/);
    expect(await finished(rejected.executionArn)).toBe("FAILED");

    const [describe, history] = await Promise.all([
      run(["executions", "describe", rejected.executionArn, ...at(), "--json"]),
      run(["executions", "history", rejected.executionArn, ...at(), "--json"]),
    ]);
    expect(JSON.parse(describe.stdout)).toMatchObject({
      status: "FAILED",
      error: "ApprovalRejected",
    });
    const { events } = JSON.parse(history.stdout) as { events: HistoryEvent[] };
    const states = entered(events);
    expect(states).toEqual(expect.arrayContaining(["ReleaseStock", "MarkOrderFailed"]));
    expect(states).not.toContain("ChargePayment");
    expect(events.at(-1)?.type).toBe("ExecutionFailed");
  });

  it("executions redrive restarts a failed execution by name, and refuses a succeeded one", async () => {
    const r = await run(["executions", "redrive", rejected.orderId, ...at()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Redriven at \S+: /);
    expect(r.stdout.trim().endsWith(rejected.executionArn)).toBe(true);
    // The order failed in its Fail state: a redrive enters it again and fails again.
    expect(await finished(rejected.executionArn)).toBe("FAILED");
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: rejected.executionArn }));
    expect(d).toMatchObject({ redriveCount: 1, error: "ApprovalRejected" });

    const refused = await run(["executions", "redrive", approved.executionArn, ...at()]);
    expectOneLineError(refused, /Execution is SUCCEEDED and cannot be redriven/);
  });

  it("deciding again, or an unknown approval, exits 1 with one line saying why", async () => {
    const id = approvals.find((a) => a.context?.orderId === approved.orderId)!.approvalId;
    const [again, againJson, unknown, dashed, maybe] = await Promise.all([
      run(["approvals", "decide", id, "reject", ...at()]),
      run(["approvals", "decide", id, "approve", ...at(), "--json"]),
      run(["approvals", "decide", "no-such-approval", "approve", ...at()]),
      // Approval ids are base64url: one that starts with "-" is still an id, not an option.
      run(["approvals", "decide", "-abcdefghijklmnopqrstu", "approve", ...at()]),
      run(["approvals", "decide", id, "maybe", ...at()]),
    ]);
    expectOneLineError(again, /Already approved by manager@countersign\.local/);
    expect(againJson.code).toBe(1);
    expect(JSON.parse(againJson.stdout)).toMatchObject({
      status: 409,
      message: expect.stringMatching(/Already approved/),
    });
    expectOneLineError(unknown, /No approval no-such-approval: list them with `approvals list`/);
    expectOneLineError(dashed, /No approval -abcdefghijklmnopqrstu/);
    expectOneLineError(maybe, /decision must be "approve" or "reject"/);
  });

  it("orders list: newest first, human and --json", async () => {
    const [listed, human] = await Promise.all([
      run(["orders", "list", ...at(), "--json"]),
      run(["orders", "list", ...at()]),
    ]);
    const orders = JSON.parse(listed.stdout) as {
      orderId: string;
      status: string;
      createdAt: string;
      total: number;
      currency: string;
    }[];
    const status = Object.fromEntries(orders.map((o) => [o.orderId, o.status]));
    expect(status).toEqual({
      [small]: "COMPLETED",
      [approved.orderId]: "COMPLETED",
      [rejected.orderId]: "FAILED",
    });
    const created = orders.map((o) => o.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    expect(orders.find((o) => o.orderId === small)).toMatchObject({ total: 29, currency: "EUR" });
    const lines = human.stdout.trim().split("\n");
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(orders.map((o) => o.orderId));
    expect(lines.find((l) => l.startsWith(rejected.orderId))).toMatch(/FAILED/);
  });

  it("executions list --status, describe and history in human form", async () => {
    const [succeeded, failed, running, describe, history] = await Promise.all([
      run(["executions", "list", "--status", "SUCCEEDED", ...at(), "--json"]),
      run(["executions", "list", "--status", "FAILED", ...at()]),
      run(["executions", "list", "--status", "RUNNING", ...at()]),
      run(["executions", "describe", rejected.executionArn, ...at()]),
      run(["executions", "history", approved.executionArn, ...at()]),
    ]);
    const { executions } = JSON.parse(succeeded.stdout) as {
      executions: { name: string; status: string; executionArn: string; startDate: string }[];
    };
    expect(executions.map((e) => e.name).sort()).toEqual([small, approved.orderId].sort());
    expect(executions.every((e) => e.status === "SUCCEEDED")).toBe(true);
    const started = executions.map((e) => e.startDate);
    expect(started).toEqual([...started].sort().reverse());

    expect(failed.stdout.trim().split("\n")).toEqual([
      expect.stringMatching(
        new RegExp(`^FAILED\\s+${rejected.orderId}\\s.*${rejected.executionArn}$`),
      ),
    ]);
    expect(running.stdout.trim()).toBe("No RUNNING executions.");
    expect(describe.stdout).toMatch(new RegExp(`^${rejected.orderId}: FAILED \\(ApprovalRejected`));
    expect(history.stdout).toMatch(/^\s+1 {2}\S+ {2}ExecutionStarted$/m);
    expect(history.stdout).toMatch(/TaskStateEntered {2}ChargePayment$/m);
    expect(history.stdout.trim().split("\n").at(-1)).toMatch(/ExecutionSucceeded$/);

    const bad = await run(["executions", "list", "--status", "DONE", ...at()]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/'DONE' is invalid\. Allowed choices are RUNNING, SUCCEEDED/);
  });

  it("executions describe and history take a name, or the start of one only one execution has", async () => {
    const [byName, byStart, history, unknown, ambiguous] = await Promise.all([
      run(["executions", "describe", rejected.orderId, ...at(), "--json"]),
      run(["executions", "describe", small.slice(0, "cli-sm".length), ...at()]),
      run(["executions", "history", approved.orderId, ...at(), "--json"]),
      run(["executions", "describe", "no-such-order", ...at()]),
      run(["executions", "history", "demo-", ...at()]),
    ]);

    expect(byName.code, byName.stderr).toBe(0);
    expect(JSON.parse(byName.stdout)).toMatchObject({
      executionArn: rejected.executionArn,
      status: "FAILED",
    });
    expect(byStart.code, byStart.stderr).toBe(0);
    expect(byStart.stdout).toMatch(new RegExp(`^${small}: SUCCEEDED`));
    expect(history.code, history.stderr).toBe(0);
    const { events } = JSON.parse(history.stdout) as { events: HistoryEvent[] };
    expect(events.at(-1)?.type).toBe("ExecutionSucceeded");
    expectOneLineError(
      unknown,
      /No execution is named "no-such-order" or starts with it in the local platform in .*: list them with `executions list`, or pass the execution ARN/,
    );
    expectOneLineError(
      ambiguous,
      new RegExp(
        `"demo-" is ambiguous: 2 executions start with it \\((${approved.orderId}, ${rejected.orderId}|${rejected.orderId}, ${approved.orderId})\\): pass a whole name or the execution ARN`,
      ),
    );
  });

  it("orders list | head -1 and executions list | head -1 end quietly with status 0", async () => {
    const sh = (command: string) =>
      new Promise<Run>((resolve) => {
        const child = spawn("bash", ["-o", "pipefail", "-c", command]);
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => {
          stdout += d;
        });
        child.stderr.on("data", (d) => {
          stderr += d;
        });
        child.once("close", (code) => resolve({ code, stdout, stderr }));
      });
    const cmd = (args: string) => `'${process.execPath}' '${BIN}' ${args} --data-dir '${dataDir}'`;

    const results = await Promise.all(
      ["orders list", "executions list", "orders list --json"].flatMap((args) => [
        sh(`${cmd(args)} | head -1`),
        // A reader gone before the first line: the command's first write meets a closed pipe.
        sh(`${cmd(args)} | true`),
      ]),
    );

    for (const r of results) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    }
    expect(results[0]?.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("outbox list (--json: [{id, to, subject, text, html, at}], oldest first) and outbox open", async () => {
    const listed = await run(["outbox", "list", ...at(), "--json"]);
    const mails = JSON.parse(listed.stdout) as OutboxMail[];
    for (const m of mails)
      expect(Object.keys(m).sort()).toEqual(["at", "html", "id", "subject", "text", "to"]);
    const times = mails.map((m) => m.at);
    expect(times).toEqual([...times].sort());
    const ask = mails.find(
      (m) => m.subject.includes(approved.orderId) && m.to.includes("manager@countersign.local"),
    );
    expect(ask?.text).toContain(`/approvals/`);
    expect(ask?.html).toContain("<a href=");

    const [human, open, openJson, missing] = await Promise.all([
      run(["outbox", "list", ...at()]),
      run(["outbox", "open", ask!.id, ...at()]),
      run(["outbox", "open", ask!.id, ...at(), "--json"]),
      run(["outbox", "open", "ses-nope", ...at()]),
    ]);
    expect(openJson.code, openJson.stderr).toBe(0);
    expect(JSON.parse(openJson.stdout)).toEqual(ask);
    expect(human.stdout.trim().split("\n")).toHaveLength(mails.length);
    expect(human.stdout).toContain(
      `${ask!.id}  ${ask!.at}  manager@countersign.local  ${ask!.subject}`,
    );
    expect(open.code).toBe(0);
    expect(open.stdout).toBe(
      `To: manager@countersign.local\nSubject: ${ask!.subject}\nDate: ${ask!.at}\n\n${ask!.text}\n`,
    );
    expectOneLineError(missing, /No email ses-nope in the outbox/);
  });

  it("with no platform, a stopped one or a dead --url: exit 1 and one line saying what to do", async () => {
    const empty = tempDataDir();
    const stale = tempDataDir();
    const port = await deadPort();
    const dead = `http://127.0.0.1:${port}`;
    // A platform that was started in `stale` and is gone: its recorded ports answer nothing.
    writeFileSync(
      join(stale, "urls.json"),
      JSON.stringify({ ...urls, api: dead, stepFunctions: dead, dynamodb: dead, ses: dead }),
    );
    const [none, stopped, deadUrl, otherDir, sameUrl] = await Promise.all([
      run(["orders", "list", "--data-dir", empty]),
      run(["executions", "list", "--data-dir", stale]),
      run(["approvals", "list", "--url", dead, ...at()]),
      run(["outbox", "list", "--url", platform.api, "--data-dir", empty]),
      run(["orders", "list", "--url", platform.api.replace("127.0.0.1", "localhost"), ...at()]),
    ]);
    expectOneLineError(none, /No running platform found in .*: start one with `npm start`/);
    expectOneLineError(stopped, /is not running: start it with `npm start -- --data-dir /);
    expectOneLineError(deadUrl, new RegExp(`Nothing answers at ${dead}: start the platform`));
    expectOneLineError(otherDir, /answers, but the CLI also needs the platform's data directory/);
    // The URL of the platform recorded in --data-dir is the one the commands talk to.
    expect(sameUrl.code, sameUrl.stderr).toBe(0);
    expect(sameUrl.stdout).toContain(small);
  });
});
