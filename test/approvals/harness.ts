/**
 * Shared arrangement for approvals tests: dependencies pointed at the run's DynamoDB Local and SES
 * outbox (test/global-setup.ts), a virtual clock, a captured log, unique emails per test, and a
 * recording Step Functions client for tests that do not need the real runtime.
 */
import { randomBytes } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { inject } from "vitest";
import type { ApiDeps } from "../../functions/api/deps.ts";
import type { ApprovalRequestInput, Log } from "../../functions/approvals/index.ts";
import { type Mail, readOutbox } from "../../local/emulators/ses-local.ts";

export const SIGNING_KEY = `test-signing-key-${randomBytes(24).toString("hex")}`;

/** A clock tests move by hand. */
export function virtualClock(start = "2030-01-01T09:00:00.000Z") {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
    set(iso: string) {
      now = Date.parse(iso);
    },
  };
}

/** Captures log lines as strings (what would reach CloudWatch). */
export function captureLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (message: string, attributes?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, message, ...attributes }));
  };
  return { lines, info: write("INFO"), warn: write("WARN"), error: write("ERROR") };
}

/** A Step Functions client that records task callbacks; `failWith` makes them throw an AWS-named error. */
export function recordingSfn() {
  const successes: { taskToken: string; output: unknown }[] = [];
  const failures: { taskToken: string; error?: string }[] = [];
  let failWith: string | undefined;
  const client = {
    async send(command: unknown) {
      if (failWith) {
        const err = new Error(failWith);
        err.name = failWith;
        throw err;
      }
      if (command instanceof SendTaskSuccessCommand) {
        successes.push({
          taskToken: String(command.input.taskToken),
          output: JSON.parse(String(command.input.output)),
        });
        return {};
      }
      if (command instanceof SendTaskFailureCommand) {
        failures.push({ taskToken: String(command.input.taskToken), error: command.input.error });
        return {};
      }
      throw new Error(`recordingSfn: unexpected ${(command as object).constructor.name}`);
    },
  } as unknown as SFNClient;
  return {
    client,
    successes,
    failures,
    failNext(name: string | undefined) {
      failWith = name;
    },
  };
}

export const unique = (prefix: string) => `${prefix}-${randomBytes(5).toString("hex")}`;

/** Emails unique to one test. */
export function people() {
  const tag = randomBytes(4).toString("hex");
  return {
    requester: `requester-${tag}@shop.test`,
    a: `alice-${tag}@shop.test`,
    b: `bob-${tag}@shop.test`,
    c: `carol-${tag}@shop.test`,
    outsider: `mallory-${tag}@evil.test`,
  };
}

let db: DynamoDBDocumentClient | undefined;
let ses: SESv2Client | undefined;

/** Dependencies for the API and approvals domain against the run's emulators. */
/** The approvers tests run with unless they name their own (the product has no defaults). */
export const TEST_APPROVERS = [
  "manager@countersign.local",
  "finance@countersign.local",
  "director@countersign.local",
];

/** The operator tests sign in as to see orders and executions (Settings.operators). */
export const TEST_OPERATORS = ["ops@countersign.local"];

export function testDeps(overrides: Partial<ApiDeps> = {}): ApiDeps {
  const { settings, ...rest } = overrides;
  db ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  ses ??= new SESv2Client({});
  return {
    db,
    table: inject("tableName"),
    sfn: new SFNClient({}),
    ses,
    sender: "orders@countersign.local",
    signingKey: SIGNING_KEY,
    baseUrl: "http://localhost",
    clock: () => new Date(),
    settings: {
      approvalTimeoutSeconds: 24 * 3600,
      approvers: TEST_APPROVERS,
      operators: TEST_OPERATORS,
      ...settings,
    },
    local: true,
    outbox: () => outbox(),
    scope: unique("scope"),
    ...rest,
  };
}

/** Every captured mail so far. */
export function outbox(): Promise<Mail[]> {
  return readOutbox(inject("sesEndpoint"));
}

/** The mails sent to `to`, oldest first. */
export async function mailTo(to: string): Promise<Mail[]> {
  return (await outbox()).filter((m) => m.to.includes(to));
}

/** The approval link in a mail's text part. */
export function linkIn(mail: Mail): string {
  const m = /(https?:\/\/\S+\/approvals\/[^\s?]+\?sig=[^\s&]+)/.exec(mail.text);
  if (!m?.[1]) throw new Error(`no approval link in mail "${mail.subject}"`);
  return m[1];
}

/** A request in the generic contract, order-shaped like the order saga's (stacks/order-saga.asl.json). */
export function approvalPayload(
  p: Partial<ApprovalRequestInput> & { requester: string },
): ApprovalRequestInput {
  const ref = unique("order");
  return {
    taskToken: `token-${randomBytes(24).toString("base64url")}`,
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:OrderSaga:${ref}`,
    title: `Order ${ref} for 2,500.00 EUR`,
    summary: [
      { type: "text", label: "Customer", value: "Ada Lovelace" },
      { type: "money", label: "Total", amount: 2500, currency: "EUR" },
      { type: "money", label: "1 × Analytical Engine (SKU-1)", amount: 2500, currency: "EUR" },
    ],
    context: { ref },
    ...p,
  };
}

/** Form body for the confirm page's POST. */
export function form(fields: Record<string, string | undefined>): {
  body: string;
  headers: Record<string, string>;
} {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) body.append(k, v);
  return {
    body: body.toString(),
    // What a browser sends for a form on our own page (the CSRF middleware checks it).
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "sec-fetch-site": "same-origin",
    },
  };
}

/** The hidden fields of a confirm page. */
export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    out[m[1] as string] = (m[2] as string).replaceAll("&amp;", "&").replaceAll("&quot;", '"');
  }
  return out;
}

type Fetchable = { request: (input: string, init?: RequestInit) => Response | Promise<Response> };

/** Signs `email` in through the magic link, as a person would; returns cookie and CSRF headers. */
export async function signIn(
  app: Fetchable,
  email: string,
): Promise<{ cookie: string; setCookie: string; csrf: string; headers: Record<string, string> }> {
  const asked = await app.request("/api/auth/magic-link", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
  if (asked.status !== 202) throw new Error(`magic-link answered ${asked.status}`);
  const mail = (await mailTo(email)).filter((m) => m.subject.includes("Sign in")).at(-1);
  const m = mail && /(https?:\/\/\S+\/auth\/magic\?t=\S+)/.exec(mail.text);
  if (!m?.[1]) throw new Error(`no sign-in link mailed to ${email}`);
  const url = new URL(m[1]);
  const page = await app.request(`${url.pathname}${url.search}`);
  const fields = hiddenFields(await page.text());
  const done = await app.request("/auth/magic", { method: "POST", ...form(fields) });
  const setCookie = done.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0] ?? "";
  const session = await app.request("/api/session", { headers: { cookie } });
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  return {
    cookie,
    setCookie,
    csrf: csrfToken,
    headers: { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" },
  };
}
