/**
 * Dashboard sign-in: magic links (emailed, single use, 15 minutes) and sessions (a random id in a
 * signed cookie, stored hashed under `SESSION#<sha256>` with a TTL so sign-out revokes it). The
 * API's CSRF token is a MAC of the session id, so it needs no storage and dies with the session.
 *
 * Only addresses the deployment knows get a link: its approvers and operators (Settings) and
 * anyone a request was addressed to. Every other address gets exactly the same answer and no
 * mail, so the form can neither probe for accounts nor mail strangers; the per-address limit
 * counts unknown addresses too, or its 429 would tell them apart.
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { formatDateTime } from "../shared/format.ts";
import type { ApprovalDeps } from "./deps.ts";
import { magicLinkEmail, sendEmail } from "./emails.ts";
import {
  InvalidSignInLinkError,
  SignInLinkExpiredError,
  TooManySignInLinksError,
} from "./errors.ts";
import type { ApprovalService } from "./service.ts";
import { sha256 } from "./signing.ts";

const MAGIC_SECONDS = 15 * 60;
/**
 * At most this many sign-in links per address per {@link MAGIC_SECONDS} window, so the form
 * cannot be used to flood someone's inbox (or our SES quota) with mail they did not ask for.
 */
export const MAGIC_LINKS_PER_WINDOW = 5;
/**
 * At most this many sign-in emails per window from the whole deployment (a person who is
 * known and within their own allowance then gets the same answer, and no mail until the window
 * turns): a bound on what the form can cost in SES quota and reputation whatever addresses are
 * tried. Only mail actually sent counts, so strangers' addresses cannot use it up.
 */
export const MAGIC_LINKS_GLOBAL_PER_WINDOW = 60;
const SESSION_SECONDS = 7 * 24 * 60 * 60;
/**
 * How long a process trusts a session it has looked up, so a click costs no session read. The
 * same trade as API Gateway's authorizer cache (300 s by default): signing out removes the
 * session at once in this process and from the table, while another warm Lambda instance may
 * still honour it for up to this long.
 */
export const SESSION_CACHE_MS = 60_000;
const SESSION_CACHE_SIZE = 1_000;

export interface Session {
  id: string;
  email: string;
  expiresAt: string;
}

export class SessionService {
  /** Sessions looked up recently, by id, with the time until which they are trusted. */
  private readonly recent = new Map<string, { session: Session; until: number }>();

  constructor(
    private readonly deps: ApprovalDeps,
    private readonly approvals: ApprovalService,
  ) {}

  private get now(): Date {
    return this.deps.clock();
  }

  /**
   * Emails a single-use sign-in link to `email` if the deployment knows the address; answers the
   * same (nothing) when it does not, or when the deployment's sign-in mail allowance is used up.
   */
  async sendMagicLink(email: string, base: string): Promise<void> {
    await this.countMagicLink(email);
    if (!(await this.knows(email))) {
      this.approvals.log.info("sign-in link not sent: unknown address", {});
      return;
    }
    if (!(await this.countSignInMail())) {
      this.approvals.log.warn(
        "sign-in link not sent: the deployment's sign-in mail limit is reached",
        {
          limit: MAGIC_LINKS_GLOBAL_PER_WINDOW,
          windowSeconds: MAGIC_SECONDS,
        },
      );
      return;
    }
    const nonce = this.approvals.randomId(16);
    const exp = Math.floor(this.now.getTime() / 1000) + MAGIC_SECONDS;
    const token = this.approvals.signer.seal("magic", { e: email, x: exp, n: nonce });
    await this.deps.db.send(
      new PutCommand({
        TableName: this.deps.table,
        Item: { pk: `MAGIC#${sha256(nonce)}`, sk: "MAGIC", type: "MagicLink", email, ttl: exp },
      }),
    );
    const expiresAt = new Date(exp * 1000).toISOString();
    const link = `${this.approvals.baseUrl(base)}/auth/magic?t=${token}`;
    await sendEmail(this.deps.ses, this.deps.sender, email, magicLinkEmail({ link, expiresAt }));
    this.approvals.log.info("sign-in link sent", { email });
  }

  /** Whether `email` is an approver or operator in Settings, or was asked to approve a request. */
  async knows(email: string): Promise<boolean> {
    const address = email.toLowerCase();
    const { approvers = [], operators = [], groups = {} } = this.deps.settings;
    const named = [...approvers, ...operators, ...Object.values(groups).flat()];
    if (named.some((a) => a.toLowerCase() === address)) return true;
    const asked = await this.deps.db.send(
      new QueryCommand({
        TableName: this.deps.table,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :me",
        ExpressionAttributeValues: { ":me": `APPROVER#${address}` },
        Limit: 1,
      }),
    );
    return (asked.Items ?? []).length > 0;
  }

  /** What `email` may see besides their own requests: operators see orders and executions. */
  roles(email: string): ("approver" | "operator")[] {
    const is = (list: string[] = []) => list.some((a) => a.toLowerCase() === email.toLowerCase());
    const { approvers = [], operators, groups = {} } = this.deps.settings;
    return [
      ...(is([...approvers, ...Object.values(groups).flat()]) ? (["approver"] as const) : []),
      ...(is(operators) ? (["operator"] as const) : []),
    ];
  }

  /**
   * Counts one sign-in email against the deployment's allowance for the current window; false
   * when it is used up. Keyed by `scope` too, like the sweep index, for tables several share.
   */
  private async countSignInMail(): Promise<boolean> {
    const nowSeconds = Math.floor(this.now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % MAGIC_SECONDS);
    try {
      await this.deps.db.send(
        new UpdateCommand({
          TableName: this.deps.table,
          Key: {
            pk: `MAGICRATE#ALL${this.deps.scope ? `#${this.deps.scope}` : ""}`,
            sk: String(windowStart),
          },
          UpdateExpression: "ADD n :one SET #type = :type, #ttl = :ttl",
          ConditionExpression: "attribute_not_exists(n) OR n < :max",
          ExpressionAttributeNames: { "#type": "type", "#ttl": "ttl" },
          ExpressionAttributeValues: {
            ":one": 1,
            ":max": MAGIC_LINKS_GLOBAL_PER_WINDOW,
            ":type": "MagicLinkRate",
            ":ttl": windowStart + MAGIC_SECONDS,
          },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      return false;
    }
  }

  /**
   * Counts a link for `email` in the current fixed window (one conditional write; the counter
   * expires through `ttl`), refusing the request once the window's allowance is used up.
   */
  private async countMagicLink(email: string): Promise<void> {
    const nowSeconds = Math.floor(this.now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % MAGIC_SECONDS);
    const windowEnd = windowStart + MAGIC_SECONDS;
    try {
      await this.deps.db.send(
        new UpdateCommand({
          TableName: this.deps.table,
          Key: { pk: `MAGICRATE#${sha256(email)}`, sk: String(windowStart) },
          UpdateExpression: "ADD n :one SET #type = :type, #ttl = :ttl",
          ConditionExpression: "attribute_not_exists(n) OR n < :max",
          ExpressionAttributeNames: { "#type": "type", "#ttl": "ttl" },
          ExpressionAttributeValues: {
            ":one": 1,
            ":max": MAGIC_LINKS_PER_WINDOW,
            ":type": "MagicLinkRate",
            ":ttl": windowEnd,
          },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      const retryAfter = windowEnd - nowSeconds;
      this.approvals.log.warn("sign-in links rate-limited", { email });
      throw new TooManySignInLinksError(
        `${MAGIC_LINKS_PER_WINDOW} sign-in links were already sent to this address in the last minutes. Use the newest one, or ask again in ${Math.ceil(retryAfter / 60)} minutes.`,
        retryAfter,
        { cause: error },
      );
    }
  }

  /** The email a sign-in token is for (checks signature and expiry; consumes nothing). */
  readMagicLink(token: string | undefined): { email: string; nonce: string; exp: number } {
    const p = token
      ? (this.approvals.signer.open("magic", token) as
          | { e?: unknown; x?: unknown; n?: unknown }
          | undefined)
      : undefined;
    if (!p || typeof p.e !== "string" || typeof p.x !== "number" || typeof p.n !== "string") {
      throw new InvalidSignInLinkError("The sign-in link is damaged. Ask for a new one.");
    }
    if (this.now.getTime() >= p.x * 1000)
      throw new SignInLinkExpiredError(
        `The sign-in link expired at ${formatDateTime(p.x * 1000)}. Ask for a new one.`,
      );
    return { email: p.e, nonce: p.n, exp: p.x };
  }

  /** Uses a sign-in token (once) and opens a session; returns the cookie value. */
  async signIn(token: string | undefined): Promise<{ cookie: string; session: Session }> {
    const { email, nonce } = this.readMagicLink(token);
    const used = await this.deps.db.send(
      new DeleteCommand({
        TableName: this.deps.table,
        Key: { pk: `MAGIC#${sha256(nonce)}`, sk: "MAGIC" },
        ReturnValues: "ALL_OLD",
      }),
    );
    if (!used.Attributes)
      throw new InvalidSignInLinkError("This sign-in link was already used. Ask for a new one.");
    const id = this.approvals.randomId(32);
    const exp = Math.floor(this.now.getTime() / 1000) + SESSION_SECONDS;
    const session: Session = { id, email, expiresAt: new Date(exp * 1000).toISOString() };
    await this.deps.db.send(
      new PutCommand({
        TableName: this.deps.table,
        Item: {
          pk: `SESSION#${sha256(id)}`,
          sk: "SESSION",
          type: "Session",
          email,
          expiresAt: session.expiresAt,
          ttl: exp,
        },
      }),
    );
    this.approvals.log.info("signed in", { email });
    return { cookie: `${id}.${this.approvals.signer.mac("session", id)}`, session };
  }

  /** The session behind a cookie value, or `undefined`. */
  async fromCookie(cookie: string | undefined): Promise<Session | undefined> {
    if (!cookie) return undefined;
    const dot = cookie.lastIndexOf(".");
    const id = cookie.slice(0, dot);
    if (dot <= 0 || !this.approvals.signer.verify("session", cookie.slice(dot + 1), id))
      return undefined;
    const now = this.now.getTime();
    const hit = this.recent.get(id);
    if (hit && now < hit.until && now < Date.parse(hit.session.expiresAt)) return hit.session;
    this.recent.delete(id);
    const out = await this.deps.db.send(
      new GetCommand({
        TableName: this.deps.table,
        Key: { pk: `SESSION#${sha256(id)}`, sk: "SESSION" },
      }),
    );
    const item = out.Item;
    if (!item || Date.parse(String(item.expiresAt)) <= now) return undefined;
    const session = { id, email: String(item.email), expiresAt: String(item.expiresAt) };
    // Map order is insertion order: the first key is the oldest entry.
    if (this.recent.size >= SESSION_CACHE_SIZE)
      this.recent.delete(this.recent.keys().next().value as string);
    this.recent.set(id, { session, until: now + SESSION_CACHE_MS });
    return session;
  }

  /** The CSRF token for state-changing API calls of this session. */
  csrfToken(session: Session): string {
    return this.approvals.signer.mac("csrf", session.id);
  }

  checkCsrf(session: Session, token: string | undefined): boolean {
    return this.approvals.signer.verify("csrf", token, session.id);
  }

  async signOut(session: Session): Promise<void> {
    this.recent.delete(session.id);
    await this.deps.db.send(
      new DeleteCommand({
        TableName: this.deps.table,
        Key: { pk: `SESSION#${sha256(session.id)}`, sk: "SESSION" },
      }),
    );
  }
}
