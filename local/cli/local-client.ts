/**
 * The CLI's client for the local platform: the saga and table over the platform's loopback
 * servers (recorded in its data directory), decisions through the approval API's signed links and
 * form (exactly what an approver's click does), and the SES outbox.
 */
import { resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Signer, signLink } from "../../functions/approvals/signing.ts";
import { type Mail, readOutbox } from "../emulators/ses-local.ts";
import { DEFAULT_DATA_DIR, type PlatformUrls, readUrls, signingKey } from "../platform/data-dir.ts";
import { PlatformConnectionError } from "../platform/errors.ts";
import { downPart } from "../platform/health.ts";
import { CliInputError } from "./errors.ts";
import { type DecisionReport, SagaClient } from "./saga-client.ts";

export const LOCAL_TABLE = "countersign";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

export class PlatformClient extends SagaClient {
  readonly where: string;

  constructor(
    readonly urls: PlatformUrls,
    private readonly dataDir: string,
  ) {
    super({
      sfn: new SFNClient({ endpoint: urls.stepFunctions, region: "us-east-1", credentials }),
      db: DynamoDBDocumentClient.from(
        new DynamoDBClient({ endpoint: urls.dynamodb, region: "us-east-1", credentials }),
      ),
      table: LOCAL_TABLE,
      stateMachineArn: urls.stateMachineArn,
    });
    this.where = `the local platform in ${dataDir}`;
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

  /**
   * Decides an approval the way an approver's email click does: open the signed link (the confirm
   * page), then submit its form. `as` defaults to the first approver who has not voted.
   */
  async decide(
    approvalId: string,
    decision: "approve" | "reject",
    options: { comment?: string; as?: string } = {},
  ): Promise<DecisionReport> {
    const { rec, by: approver } = await this.decider(approvalId, options.as);
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

  outbox(): Promise<Mail[]> {
    return this.call(() => readOutbox(this.urls.ses));
  }

  /** Runs a request, turning "nothing listens there" into an error that says what to do. */
  protected async call<T>(fn: () => Promise<T>): Promise<T> {
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
