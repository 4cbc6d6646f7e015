/**
 * What CLI commands do to a running platform, over its real interfaces: the Step Functions wire
 * API for executions, DynamoDB Local for orders and approvals, the approval API's HTML links for
 * decisions (exactly what an approver's click does), and the SES outbox.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Signer, signLink } from "../../functions/approvals/signing.ts";
import { ApprovalStore } from "../../functions/approvals/store.ts";
import type { ApprovalRecord } from "../../functions/approvals/types.ts";
import { retryCompensation } from "../../functions/orders/compensation-retry.ts";
import { orderInputSchema } from "../../functions/orders/model.ts";
import { listOrders } from "../../functions/orders/order-list.ts";
import { type Mail, readOutbox } from "../emulators/ses-local.ts";
import { DEFAULT_DATA_DIR, type PlatformUrls, readUrls, signingKey } from "./data-dir.ts";
import { PlatformConnectionError } from "./errors.ts";
import { downPart } from "./health.ts";

export const LOCAL_TABLE = "countersign";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

/** A bad command-line input: names the field and the fix. */
export class CliInputError extends Error {
  override name = "CliInputError";
}

export class PlatformClient {
  readonly sfn: SFNClient;
  readonly db: DynamoDBDocumentClient;

  constructor(
    readonly urls: PlatformUrls,
    private readonly dataDir: string,
  ) {
    this.sfn = new SFNClient({ endpoint: urls.stepFunctions, region: "us-east-1", credentials });
    this.db = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: urls.dynamodb, region: "us-east-1", credentials }),
    );
  }

  /**
   * The platform recorded in `dataDir`. With `url` (`--url`), that URL must answer and be the API
   * of the platform recorded there: its other endpoints (Step Functions, DynamoDB, the outbox) and
   * the signing key are only known from the data directory, and a URL that was silently ignored
   * would let a command talk to a different platform than the one asked for.
   */
  static async connect(dataDir: string, url?: string): Promise<PlatformClient> {
    if (url === undefined) return new PlatformClient(readUrls(dataDir), dataDir);
    const api = normalizeOrigin(url);
    try {
      const res = await fetch(`${api}/api/config`, { signal: AbortSignal.timeout(10_000) });
      await res.body?.cancel();
    } catch (cause) {
      throw new PlatformConnectionError(
        `Nothing answers at ${url}: start the platform with \`npm start\`, or fix --url`,
        { cause },
      );
    }
    let urls: PlatformUrls;
    try {
      urls = readUrls(dataDir);
    } catch (cause) {
      throw new PlatformConnectionError(
        `${url} answers, but the CLI also needs the platform's data directory (${resolve(dataDir)} has none): pass --data-dir <the directory it was started with>`,
        { cause },
      );
    }
    if (normalizeOrigin(urls.api) !== api)
      throw new PlatformConnectionError(
        `${url} is not the platform recorded in ${resolve(dataDir)} (that one serves ${urls.api}): pass the --data-dir it was started with`,
      );
    return new PlatformClient(urls, dataDir);
  }

  /** Starts the saga for an order (the order id is the execution name, so a retry is idempotent). */
  async placeOrder(order: unknown): Promise<{ orderId: string; executionArn: string }> {
    const parsed = orderInputSchema.safeParse(order);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CliInputError(
        `Order is invalid: ${issue?.path.join(".") || "(order)"}: ${issue?.message} — fix the file and try again`,
      );
    }
    const { orderId } = parsed.data;
    const input = JSON.stringify(parsed.data);
    try {
      const out = await this.call(() =>
        this.sfn.send(
          new StartExecutionCommand({
            stateMachineArn: this.urls.stateMachineArn,
            name: orderId,
            input,
          }),
        ),
      );
      return { orderId, executionArn: out.executionArn ?? "" };
    } catch (error) {
      if ((error as Error).name !== "ExecutionAlreadyExists") throw error;
      // Step Functions repeats a start only while the execution runs; once it has finished, the
      // same order placed again is still the same order, so report it instead of failing.
      const executionArn = this.urls.stateMachineArn
        .replace(":stateMachine:", ":execution:")
        .concat(`:${orderId}`);
      const existing = await this.describeExecution(executionArn);
      if (existing.input === input) return { orderId, executionArn };
      throw new CliInputError(
        `Order ${orderId} was already placed with other contents (${executionArn}): give this order a new orderId`,
        { cause: error },
      );
    }
  }

  listOrders() {
    return this.call(() => listOrders({ db: this.db, table: LOCAL_TABLE }, 100));
  }

  /** Runs a parked compensation again (functions/orders/compensation.ts). */
  retryCompensation(orderId: string) {
    return this.call(() =>
      retryCompensation({ db: this.db, table: LOCAL_TABLE }, this.sfn, orderId),
    );
  }

  /** Approvals still waiting for a decision, oldest first. */
  async pendingApprovals(): Promise<ApprovalRecord[]> {
    const open = await this.call(() =>
      new ApprovalStore(this.db, LOCAL_TABLE).due(new Date(8.64e15)),
    );
    return open.filter((a) => a.status === "PENDING");
  }

  /**
   * Decides an approval the way an approver's email click does: open the signed link (the confirm
   * page), then submit its form. `as` defaults to the first approver who has not voted.
   */
  async decide(
    approvalId: string,
    decision: "approve" | "reject",
    options: { comment?: string; as?: string } = {},
  ): Promise<{ status: number; message: string }> {
    const rec = await this.call(() => new ApprovalStore(this.db, LOCAL_TABLE).get(approvalId));
    if (!rec)
      throw new CliInputError(`No approval ${approvalId}: list them with \`approvals list\``);
    const voted = new Set(rec.approvals.map((a) => a.by));
    const approver = options.as ?? rec.approvers.find((a) => !voted.has(a) && a !== rec.requester);
    if (!approver) throw new CliInputError(`Every approver of ${approvalId} has already voted`);
    const sig = signLink(new Signer(signingKey(this.dataDir)), {
      approvalId,
      approver,
      exp: Math.floor(Date.parse(rec.expiresAt) / 1000),
    });
    const link = `${this.urls.api}/approvals/${encodeURIComponent(approvalId)}`;
    const page = await this.call(() => fetch(`${link}?sig=${sig}`));
    const html = await page.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!csrf) return { status: page.status, message: pageMessage(html) };
    const form = new URLSearchParams({ sig, csrf, decision, comment: options.comment ?? "" });
    const res = await this.call(() =>
      fetch(link, {
        method: "POST",
        body: form,
        headers: { origin: this.urls.api },
        redirect: "manual",
      }),
    );
    return { status: res.status, message: pageMessage(await res.text()) };
  }

  listExecutions(status?: string) {
    return this.call(() =>
      this.sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: this.urls.stateMachineArn,
          ...(status ? { statusFilter: status as "RUNNING" } : {}),
          maxResults: 100,
        }),
      ),
    );
  }

  describeExecution(executionArn: string) {
    return this.call(() => this.sfn.send(new DescribeExecutionCommand({ executionArn })));
  }

  async history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call(() =>
        this.sfn.send(
          new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
        ),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  outbox(): Promise<Mail[]> {
    return this.call(() => readOutbox(this.urls.ses));
  }

  /** Runs a request, turning "nothing listens there" into an error that says what to do. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const e = error as { code?: string; cause?: { code?: string } };
      const code = e.cause?.code ?? e.code;
      if (code === "ECONNREFUSED" || code === "ECONNRESET") {
        // One part down while the platform runs (DynamoDB Local being restarted) is not "the
        // platform is not running": say which part it is.
        const part = await downPart(this.dataDir).catch(() => undefined);
        if (part) throw new PlatformConnectionError(part, { cause: error });
        if (code !== "ECONNREFUSED") throw error;
        const start =
          resolve(this.dataDir) === resolve(DEFAULT_DATA_DIR)
            ? "npm start"
            : `npm start -- --data-dir ${this.dataDir}`;
        throw new PlatformConnectionError(
          `The platform recorded in ${this.dataDir} is not running: start it with \`${start}\``,
          { cause: error },
        );
      }
      throw error;
    }
  }
}

/** Reads an order file, with an error naming the file when it is not JSON. */
export function readOrderFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    const reason = (cause as { code?: string }).code === "ENOENT" ? "no such file" : String(cause);
    throw new CliInputError(`Cannot read order file ${file}: ${reason}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CliInputError(
      `Order file ${file} is not JSON (${(cause as Error).message.replace(/\s+/g, " ")}): the format is in README.md, "The command line"`,
      { cause },
    );
  }
}

/** `http://localhost:8787/` and `http://127.0.0.1:8787` name the same local API. */
function normalizeOrigin(url: string): string {
  try {
    const u = new URL(url);
    if (u.hostname === "localhost") u.hostname = "127.0.0.1";
    return u.origin;
  } catch (cause) {
    throw new CliInputError(`--url must be a URL such as http://127.0.0.1:8787, got ${url}`, {
      cause,
    });
  }
}

/** The heading and first paragraph of one of the API's HTML pages, as plain text. */
export function pageMessage(html: string): string {
  const text = (re: RegExp) =>
    re
      .exec(html)?.[1]
      ?.replace(/<[^>]+>/g, "")
      .replace(/\s+/g, " ")
      .trim();
  return [text(/<h1[^>]*>([\s\S]*?)<\/h1>/), text(/<p[^>]*>([\s\S]*?)<\/p>/)]
    .filter(Boolean)
    .join(" — ");
}
