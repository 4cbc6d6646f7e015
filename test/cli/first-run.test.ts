/**
 * A first run, end to end, the way a new user meets Countersign: `countersign start --no-demo` on
 * a new data directory (an empty table, as a freshly deployed stage has), a catalogue imported
 * with `countersign catalogue import` (a bad one first), an order above the approval threshold
 * approved from the link in its email, and the order completes. More paths follow (a rejection,
 * a declined payment, an operator signing in, a card number refused at the CLI and at the API),
 * and then everything the run produced is scanned: every log line of the platform, every page
 * and API answer, every email, every history event and every table item must hold no task
 * token, no link signature in the logs, and nothing that looks like a card number.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containsCardNumber } from "../../functions/shared/card-numbers.ts";
import { type PlatformUrls, readUrls } from "../../local/platform/data-dir.ts";
import {
  cliAsync,
  eventually,
  type Started,
  startPlatform,
  stop,
  tempDataDir,
} from "../platform/harness.ts";

interface Mail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

let platform: Started;
let dataDir: string;
let urls: PlatformUrls;
/** Every page and API answer the run received (status, headers, body), for the scan. */
const seen: string[] = [];
/** Every CLI output of the run, for the scan. */
const printed: string[] = [];
const placed: string[] = [];

const run = async (args: string[]) => {
  const r = await cliAsync([...args, "--data-dir", dataDir]);
  printed.push(r.stdout, r.stderr);
  return r;
};
const json = async <T>(args: string[]): Promise<T> => {
  const r = await run([...args, "--json"]);
  if (r.code !== 0) throw new Error(`countersign ${args.join(" ")} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};
const file = (name: string, text: string) => {
  const path = join(dataDir, name);
  writeFileSync(path, text);
  return path;
};

/** fetch that keeps what came back; paths are the platform's. */
async function http(path: string, init?: RequestInit): Promise<Response> {
  const res = await fetch(path.startsWith("http") ? path : `${urls.api}${path}`, {
    redirect: "manual",
    ...init,
  });
  const body = await res.text();
  seen.push(`${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n${body}`);
  return new Response(res.status === 204 ? null : body, {
    status: res.status,
    headers: res.headers,
  });
}

const outbox = async (): Promise<Mail[]> =>
  ((await (await fetch(`${urls.api}/api/outbox`)).json()) as { items: Mail[] }).items;

/** The link in the approval email for `orderId` sent to `approver`. */
const approvalLink = (orderId: string, approver: string) =>
  eventually(async () => {
    const mail = (await outbox()).find(
      (m) =>
        m.to.includes(approver) && m.subject.includes(orderId) && m.text.includes("/approvals/"),
    );
    return mail && /(http:\/\/\S+\/approvals\/[^\s?]+\?sig=[^\s&]+)/.exec(mail.text)?.[1];
  }, 60_000);

/** Opens an emailed approval link and presses a button on its page, as a browser does. */
async function decideByLink(link: string, decision: "approve" | "reject", comment = "") {
  const page = await http(link);
  const html = await page.text();
  const field = (name: string) =>
    new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";
  return http(link.split("?")[0] as string, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: urls.api },
    body: new URLSearchParams({ sig: field("sig"), csrf: field("csrf"), decision, comment }),
  });
}

const finished = (executionArn: string) =>
  eventually(async () => {
    const d = await json<{ status: string; error?: string }>([
      "executions",
      "describe",
      executionArn,
    ]);
    return d.status !== "RUNNING" ? d : undefined;
  }, 120_000);

function orderFile(orderId: string, lines: { sku: string; quantity: number }[], method: string) {
  return file(
    `${orderId}.json`,
    JSON.stringify({
      orderId,
      customer: { name: "Grace Hopper", email: "grace@example.com" },
      currency: "EUR",
      lines,
      payment: { method },
      shipping: { line1: "1 Navy Way", city: "Arlington", postalCode: "22202", country: "US" },
    }),
  );
}

async function place(
  orderId: string,
  lines: { sku: string; quantity: number }[],
  method = "pm_card_visa",
) {
  const out = await json<{ executionArn: string }>([
    "orders",
    "place",
    orderFile(orderId, lines, method),
  ]);
  placed.push(out.executionArn);
  return out.executionArn;
}

const suffix = Date.now().toString(36);
const CATALOGUE =
  "sku,name,price,currency,stock\nCHAIR-ERGO,Ergonomic chair,649.00,EUR,20\nDESK-OAK,Oak desk,1199.00,EUR,5\n";

beforeAll(async () => {
  dataDir = tempDataDir();
  platform = await startPlatform(["--data-dir", dataDir, "--port", "0", "--no-demo"], {
    timeoutMs: 180_000,
  });
  urls = readUrls(dataDir);
}, 200_000);

afterAll(async () => {
  if (platform) await stop(platform.child);
});

describe("a first run: start --no-demo, catalogue import, an approved order", {
  timeout: 180_000,
}, () => {
  it("starts empty: no products, no orders, no demo order", async () => {
    expect(platform.output()).toContain("No demo data: import products with");
    expect(platform.demoLink).toBeUndefined();
    expect(await json<unknown[]>(["orders", "list"])).toEqual([]);
    expect(await json(["catalogue", "import", file("shop.csv", CATALOGUE), "--dry-run"])).toEqual({
      created: ["CHAIR-ERGO", "DESK-OAK"],
      updated: [],
      unchanged: [],
      skipped: [],
      dryRun: true,
    });
  });

  it("reports a bad catalogue row by line and field, and imports nothing of that file", async () => {
    const bad = file(
      "bad.csv",
      `${CATALOGUE}LAMP,Desk lamp,39.9O,EUR,40\n"RUG, wool",Wool rug,120.00,EUR,4\nPEN,Pen 4242 4242 4242 4242,1.00,EUR,1\n`,
    );
    const r = await run(["catalogue", "import", bad]);

    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      `countersign: ${bad} has 3 problems; nothing was imported:`,
      `  ${bad}:4: price: must be an amount with at most 2 decimals, e.g. 1499.00 (got "39.9O")`,
      `  ${bad}:5: sku: must be 1–64 letters, digits, '.', '-' or '_', starting with a letter or digit`,
      `  ${bad}:6: name: looks like a card number; Countersign never takes card numbers: pass the payment provider's payment-method token instead (e.g. pm_card_visa)`,
    ]);
    // Its good rows were not imported either.
    expect(
      await json(["catalogue", "import", file("shop.csv", CATALOGUE), "--dry-run"]),
    ).toMatchObject({
      created: ["CHAIR-ERGO", "DESK-OAK"],
    });
  });

  it("imports the catalogue; an order above the threshold, approved from the emailed link, completes", async () => {
    const imported = await run(["catalogue", "import", file("shop.csv", CATALOGUE)]);
    expect(imported.stdout).toMatch(
      /^Imported 2 products into the local platform in .* \(2 new, 0 updated, 0 unchanged\)/,
    );

    const orderId = `first-${suffix}`;
    // 2 × 649 + 1199 = 2,497 EUR: above the local threshold of 1,000.
    const arn = await place(orderId, [
      { sku: "CHAIR-ERGO", quantity: 2 },
      { sku: "DESK-OAK", quantity: 1 },
    ]);
    const link = await approvalLink(orderId, "manager@countersign.local");
    const decided = await decideByLink(link, "approve", "welcome aboard");

    expect(decided.status).toBe(200);
    expect(await decided.text()).toContain(
      `You approved &quot;Order ${orderId} for 2,497.00 EUR&quot;`,
    );
    expect((await finished(arn)).status).toBe("SUCCEEDED");
    const orders = await json<{ orderId: string; status: string; total: number }[]>([
      "orders",
      "list",
    ]);
    expect(orders.find((o) => o.orderId === orderId)).toMatchObject({
      status: "COMPLETED",
      total: 2497,
    });
    const shipped = (await outbox()).find(
      (m) => m.to.includes("grace@example.com") && m.text.includes(orderId),
    );
    expect(shipped?.text).toContain("has shipped");

    // The customer's email and address travel only as far as ValidateOrder, which stores them;
    // every later step and the approval get the order's id and summary (the name only).
    const { events } = await json<{ events: { id: number; type: string }[] }>([
      "executions",
      "history",
      arn,
    ]);
    const firstResult = events.find((e) => e.type === "TaskSucceeded")?.id ?? 0;
    const personal = events.filter((e) => /grace@example\.com|Navy Way/.test(JSON.stringify(e)));
    expect(personal.length).toBeGreaterThan(0);
    expect(personal.every((e) => e.id < firstResult)).toBe(true);
    expect(JSON.stringify(events)).toContain("Grace Hopper");
  });
});

describe("the rest of a full run", { timeout: 180_000 }, () => {
  it("a rejection compensates, a declined payment fails, a card number is refused everywhere", async () => {
    const rejected = await place(`rejected-${suffix}`, [{ sku: "DESK-OAK", quantity: 1 }]);
    const declined = await place(
      `declined-${suffix}`,
      [{ sku: "CHAIR-ERGO", quantity: 1 }],
      "pm_card_chargeDeclined",
    );
    const link = await approvalLink(`rejected-${suffix}`, "finance@countersign.local");
    // A card number in the decision's comment is refused, and decides nothing.
    const carded = await decideByLink(link, "approve", "charge 4242 4242 4242 4242 please");
    expect(carded.status).toBe(400);
    expect(await carded.text()).toContain("comment: looks like a card number");
    expect((await decideByLink(link, "reject", "over budget")).status).toBe(200);

    expect(await finished(rejected)).toMatchObject({ status: "FAILED", error: "ApprovalRejected" });
    expect(await finished(declined)).toMatchObject({ status: "FAILED", error: "PaymentDeclined" });

    const cardFile = file(
      "carded.json",
      JSON.stringify({
        orderId: `carded-${suffix}`,
        customer: { name: "Ada", email: "ada@example.com" },
        currency: "EUR",
        lines: [{ sku: "CHAIR-ERGO", quantity: 1 }],
        payment: { card: "4242424242424242" },
        shipping: { line1: "1 Way", city: "Town", postalCode: "1", country: "GB" },
      }),
    );
    const refused = await run(["orders", "place", cardFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      "countersign: The order is refused, nothing was started: payment.card: looks like a card number; Countersign never takes card numbers: pass the payment provider's payment-method token instead (e.g. pm_card_visa)\n",
    );
    const none = await run([
      "executions",
      "describe",
      `${urls.stateMachineArn.replace(":stateMachine:", ":execution:")}:carded-${suffix}`,
    ]);
    expect(none.code).toBe(1);
  });

  it("an operator signs in by magic link and reads orders, executions and their history", async () => {
    const operator = "operator@countersign.local";
    const stranger = "stranger@example.com";
    for (const email of [operator, stranger]) {
      const asked = await http("/api/auth/magic-link", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email }),
      });
      expect(asked.status).toBe(202);
    }
    const mail = await eventually(async () =>
      (await outbox()).find((m) => m.to.includes(operator) && m.subject.includes("Sign in")),
    );
    expect((await outbox()).some((m) => m.to.includes(stranger))).toBe(false);
    const magic = new URL(/(http:\/\/\S+\/auth\/magic\?t=\S+)/.exec(mail.text)?.[1] ?? "");
    await http(`${magic.pathname}${magic.search}`);
    const signedIn = await http("/auth/magic", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: urls.api },
      body: new URLSearchParams({ t: magic.searchParams.get("t") ?? "" }),
    });
    expect(signedIn.status).toBe(303);
    const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

    expect((await http("/api/orders", { headers: { cookie } })).status).toBe(200);
    expect((await http("/api/executions", { headers: { cookie } })).status).toBe(200);
    for (const arn of placed) {
      const events = await http(`/api/executions/${encodeURIComponent(arn)}/history`, {
        headers: { cookie },
      });
      expect(events.status).toBe(200);
      await json(["executions", "history", arn]);
    }
  });

  it("leaves no task token, no link signature in a log, and no card number anywhere", async () => {
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: urls.dynamodb,
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      }),
    );
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({ TableName: "countersign", ExclusiveStartKey: start }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    const tokens = items.flatMap((i) => (typeof i.taskToken === "string" ? [i.taskToken] : []));
    const mails = (await outbox()).map((m) => `${m.subject}\n${m.text}\n${m.html}`);
    const secrets = mails.flatMap((m) => [
      ...[...m.matchAll(/[?&]sig=([^\s&"<]+)/g)].map((x) => x[1] as string),
      ...[...m.matchAll(/[?&]t=([^\s&"<]+)/g)].map((x) => x[1] as string),
    ]);
    // What the platform printed, and its log (the handlers' lines go to platform.log).
    const logs = [
      ...platform.output().split("\n"),
      ...readFileSync(join(dataDir, "platform.log"), "utf8").split("\n"),
    ];
    const history = printed.filter((p) => p.includes("historyEvent") || p.includes('"events"'));

    expect(tokens).toHaveLength(2);
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    // The handlers' JSON log lines are in the platform's log, beside the platform's own lines.
    expect(logs.filter((l) => l.startsWith('{"level"')).length).toBeGreaterThanOrEqual(4);
    expect(history.length).toBeGreaterThan(0);
    const everywhere: [string, string[]][] = [
      ["log", logs],
      ["page", seen],
      ["email", mails],
      ["CLI output", printed],
    ];
    for (const [where, texts] of everywhere) {
      for (const text of texts) {
        for (const token of tokens)
          expect(text.includes(token), `task token in a ${where}`).toBe(false);
        expect(
          containsCardNumber(text),
          `card-like number in a ${where}: ${text.slice(0, 300)}`,
        ).toBe(false);
      }
    }
    for (const line of logs) {
      for (const secret of secrets)
        expect(line.includes(secret), `link secret in: ${line}`).toBe(false);
    }
    for (const item of items) {
      const { taskToken: _stored, ...rest } = item;
      expect(
        containsCardNumber(JSON.stringify(rest)),
        `card-like number in ${String(item.pk)}`,
      ).toBe(false);
    }
  });
});
