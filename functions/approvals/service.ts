/**
 * The approvals use cases: request (from the saga's `.waitForTaskToken` task), inspect a link,
 * decide (conditional write, then `SendTaskSuccess`), and the periodic sweep (reminders, expiry,
 * retrying an undelivered outcome). The task token is read from the record only to call Step
 * Functions; it is never returned, logged or put in a link.
 */
import { SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { approvalTimeoutProblem } from "../shared/approval-timeout.ts";
import { type ApprovalDeps, cryptoRandom, jsonLog, type Log } from "./deps.ts";
import { approvalRequestEmail, sendEmail } from "./emails.ts";
import {
  AlreadyDecidedError,
  ApprovalExpiredError,
  ApprovalNotFoundError,
  InvalidLinkError,
  SelfApprovalError,
  ValidationError,
  WrongApproverError,
} from "./errors.ts";
import { chooseApprovers, DEFAULT_TIMEOUT_SECONDS, reminderTime } from "./policy.ts";
import { formToken, type LinkClaims, readLink, Signer, signLink } from "./signing.ts";
import { ApprovalStore } from "./store.ts";
import { ApprovalSweep, type SweepReport, TASK_GONE } from "./sweep.ts";
import {
  type ApprovalRecord,
  type DecisionOutput,
  requestApprovalSchema,
  type Vote,
} from "./types.ts";

const MAX_COMMENT = 1000;

export interface DecideInput {
  approvalId: string;
  by: string;
  decision: "approve" | "reject";
  comment?: string;
}

export interface DecideResult {
  record: ApprovalRecord;
  /** `recorded`: an approval counted, more are needed. */
  outcome: "approved" | "rejected" | "recorded";
}

/** How long the sweep waits before trying a request's first emails again after they failed. */
export const EMAIL_RETRY_MS = 60_000;

export class ApprovalService {
  readonly signer: Signer;
  readonly store: ApprovalStore;
  readonly log: Log;
  readonly #random: (bytes: number) => string;

  constructor(private readonly deps: ApprovalDeps) {
    this.signer = new Signer(deps.signingKey);
    this.store = new ApprovalStore(deps.db, deps.table, deps.scope);
    this.log = deps.log ?? jsonLog;
    this.#random = deps.random ?? cryptoRandom;
  }

  get now(): Date {
    return this.deps.clock();
  }

  randomId(bytes = 16): string {
    return this.#random(bytes);
  }

  /** The public base URL for links: configured, else the one the request came in on. */
  baseUrl(fallback?: string): string {
    const configured =
      typeof this.deps.baseUrl === "function" ? this.deps.baseUrl() : this.deps.baseUrl;
    const base = configured ?? fallback;
    if (!base)
      throw new Error(
        "No public base URL: link the Api resource (SST_RESOURCE_Api) or pass baseUrl",
      );
    return base.replace(/\/+$/, "");
  }

  /** The approval link for one approver. */
  link(
    rec: Pick<ApprovalRecord, "approvalId" | "expiresAt">,
    approver: string,
    base?: string,
  ): string {
    const sig = signLink(this.signer, {
      approvalId: rec.approvalId,
      approver,
      exp: Math.floor(Date.parse(rec.expiresAt) / 1000),
    });
    return `${this.baseUrl(base)}/approvals/${encodeURIComponent(rec.approvalId)}?sig=${sig}`;
  }

  /**
   * Handles the saga's approval task: stores the record (idempotently — a retried invocation with
   * the same task token finds it) and emails every approver once.
   */
  async request(
    event: unknown,
  ): Promise<{ approvalId: string; approvers: string[]; required: number; expiresAt: string }> {
    const parsed = requestApprovalSchema.safeParse(event);
    if (!parsed.success) {
      throw new ValidationError(
        parsed.error.issues.map((i) => ({
          field: i.path.join(".") || "(payload)",
          message: i.message,
        })),
      );
    }
    const p = parsed.data;
    const { settings } = this.deps;
    const requester = (p.requester ?? settings.requester ?? this.deps.sender).toLowerCase();
    const { approvers, required } = chooseApprovers(settings, { ...p, requester });
    const now = this.now;
    const timeout = p.timeoutSeconds ?? settings.approvalTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    const tooLong = approvalTimeoutProblem(timeout, settings);
    if (tooLong) throw new ValidationError([{ field: "timeoutSeconds", message: tooLong }]);
    const expiresAt = new Date(now.getTime() + timeout * 1000);
    // Derived from the token so a retried invocation finds its record; the "a" keeps ids from
    // starting with "-" (base64url), which command lines would read as an option.
    const approvalId = `a${this.signer.mac("link", "approval-id", p.taskToken).slice(0, 21)}`;
    const fresh: ApprovalRecord = {
      approvalId,
      taskToken: p.taskToken,
      executionArn: p.executionArn,
      orderId: p.orderId,
      requester,
      approvers,
      required,
      approvals: [],
      approvedBy: [],
      status: "PENDING",
      summary: { total: p.total, currency: p.currency, customer: p.customer, lines: p.lines },
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      remindAt: reminderTime(now, expiresAt).toISOString(),
    };
    const created = await this.store.create(fresh);
    const rec = created ? fresh : await this.store.get(approvalId);
    if (!rec)
      throw new ApprovalNotFoundError(`approval ${approvalId} vanished while being created`);
    if (!rec.emailedAt) await this.emailApprovers(rec);
    this.log.info("approval requested", {
      approvalId,
      orderId: rec.orderId,
      executionArn: rec.executionArn,
      approvers: rec.approvers,
      required: rec.required,
      expiresAt: rec.expiresAt,
      retried: !created,
    });
    return {
      approvalId,
      approvers: rec.approvers,
      required: rec.required,
      expiresAt: rec.expiresAt,
    };
  }

  async get(approvalId: string): Promise<ApprovalRecord> {
    const rec = /^[A-Za-z0-9_-]{1,64}$/.test(approvalId)
      ? await this.store.get(approvalId)
      : undefined;
    if (!rec)
      throw new ApprovalNotFoundError(
        `There is no approval request ${approvalId}. It may have been removed.`,
      );
    return rec;
  }

  /**
   * Checks an approval link against its record (changes nothing): unknown id → 404, forged or
   * foreign signature → 403, approver not on the request → 403.
   */
  async inspectLink(
    approvalId: string,
    sig: string | undefined,
  ): Promise<{ rec: ApprovalRecord; claims: LinkClaims; csrf: string }> {
    const rec = await this.get(approvalId);
    const claims = sig ? readLink(this.signer, sig) : undefined;
    if (!claims || claims.approvalId !== rec.approvalId) {
      throw new InvalidLinkError(
        "The link is damaged or was not made for this request. Open it again from your email.",
      );
    }
    if (!rec.approvers.includes(claims.approver)) {
      throw new WrongApproverError(
        `${claims.approver} is not one of the approvers of this request.`,
      );
    }
    return { rec, claims, csrf: formToken(this.signer, claims) };
  }

  /** Throws the error a person should see when the record can no longer be decided. */
  assertOpen(rec: ApprovalRecord, by?: string): void {
    if (rec.status === "APPROVED" || rec.status === "REJECTED") {
      throw new AlreadyDecidedError(
        rec.status === "APPROVED" ? "approved" : "rejected",
        rec.decidedBy ?? "someone",
        rec.decidedAt ?? rec.createdAt,
      );
    }
    if (rec.status === "EXPIRED" || this.now.getTime() >= Date.parse(rec.expiresAt)) {
      throw new ApprovalExpiredError(rec.expiresAt);
    }
    const mine = by ? rec.approvals.find((v) => v.by === by) : undefined;
    if (mine) throw new AlreadyDecidedError("approved", mine.by, mine.at);
  }

  /**
   * Decides for `by`. Exactly one concurrent caller wins each step: every write is conditional on
   * the state it read, and a loser re-reads and reports who decided.
   */
  async decide(input: DecideInput): Promise<DecideResult> {
    if (input.comment !== undefined && input.comment.length > MAX_COMMENT) {
      throw new ValidationError([
        { field: "comment", message: `must be at most ${MAX_COMMENT} characters` },
      ]);
    }
    for (let attempt = 0; attempt < 20; attempt++) {
      const rec = await this.get(input.approvalId);
      if (!rec.approvers.includes(input.by)) {
        throw new WrongApproverError(`${input.by} is not one of the approvers of this request.`);
      }
      if (input.by === rec.requester && input.decision === "approve") {
        throw new SelfApprovalError("The requester cannot approve their own request.");
      }
      this.assertOpen(rec, input.by);
      const now = this.now.toISOString();
      const vote: Vote = {
        by: input.by,
        at: now,
        ...(input.comment ? { comment: input.comment } : {}),
      };
      if (input.decision === "reject") {
        if (await this.store.reject(rec.approvalId, vote, now)) {
          const decided = {
            ...rec,
            status: "REJECTED" as const,
            rejection: vote,
            decidedAt: now,
            decidedBy: input.by,
          };
          this.log.info("approval rejected", { approvalId: rec.approvalId, by: input.by });
          return { record: await this.deliver(decided, vote, "reject"), outcome: "rejected" };
        }
        continue;
      }
      const final = rec.approvals.length + 1 >= rec.required;
      if (await this.store.addApproval(rec.approvalId, vote, rec.approvals.length, final, now)) {
        const approvals = [...rec.approvals, vote];
        if (!final) {
          this.log.info("approval recorded", {
            approvalId: rec.approvalId,
            by: input.by,
            count: approvals.length,
            required: rec.required,
          });
          return {
            record: { ...rec, approvals, approvedBy: [...rec.approvedBy, input.by] },
            outcome: "recorded",
          };
        }
        const decided = {
          ...rec,
          approvals,
          approvedBy: [...rec.approvedBy, input.by],
          status: "APPROVED" as const,
          decidedAt: now,
          decidedBy: input.by,
        };
        this.log.info("approval approved", { approvalId: rec.approvalId, by: input.by });
        return { record: await this.deliver(decided, vote, "approve"), outcome: "approved" };
      }
      // Lost a race: the next read shows who won, or (another approver's vote) lets us retry.
    }
    throw new Error(`approval ${input.approvalId}: too much contention, try again`);
  }

  /** Tells Step Functions the outcome. A task that is gone means the request expired meanwhile. */
  private async deliver(
    rec: ApprovalRecord,
    vote: Vote,
    decision: "approve" | "reject",
  ): Promise<ApprovalRecord> {
    const output: DecisionOutput = {
      decision,
      by: vote.by,
      at: vote.at,
      ...(vote.comment ? { comment: vote.comment } : {}),
    };
    try {
      await this.deps.sfn.send(
        new SendTaskSuccessCommand({ taskToken: rec.taskToken, output: JSON.stringify(output) }),
      );
    } catch (err) {
      const name = (err as { name?: string }).name ?? "Error";
      if (TASK_GONE.has(name)) {
        await this.store.decisionTooLate(rec.approvalId, this.now.toISOString());
        this.log.warn("decision arrived after the task ended", {
          approvalId: rec.approvalId,
          error: name,
        });
        throw new ApprovalExpiredError(rec.expiresAt, { cause: err });
      }
      // Recorded but not delivered: the sweep retries (the record stays in the open index).
      this.log.error("could not deliver decision to Step Functions; will retry", {
        approvalId: rec.approvalId,
        error: name,
      });
      return rec;
    }
    const at = this.now.toISOString();
    await this.store.notified(rec.approvalId, at);
    return { ...rec, notifiedAt: at };
  }

  /**
   * The periodic sweep (cron on AWS, an interval locally, a virtual clock in tests): sweep.ts.
   * `timeLeftMs` is the invocation's remaining time; the sweep stops reading pages near its end.
   */
  sweep(options: { timeLeftMs?: () => number } = {}): Promise<SweepReport> {
    return new ApprovalSweep(this, this.deps).run(options);
  }

  /**
   * Emails every approver the request (used by `request` and by the sweep). Mail that fails (SES throttling or an outage that outlasts
   * the SDK's retries) does not fail the approval task: the order keeps waiting, the dashboard
   * already lists the request, and the sweep tries the emails again a minute later. Returns
   * whether they went out.
   */
  async emailApprovers(rec: ApprovalRecord): Promise<boolean> {
    try {
      for (const approver of rec.approvers) await this.emailRequest(rec, approver, false);
    } catch (err) {
      const retryAt = new Date(this.now.getTime() + EMAIL_RETRY_MS).toISOString();
      await this.store.reschedule(rec.approvalId, retryAt);
      this.log.error("could not email the approvers; the sweep will try again", {
        approvalId: rec.approvalId,
        error: (err as Error).name,
        retryAt,
      });
      return false;
    }
    // Back on the reminder's schedule; past it already, the next stop is the expiry.
    const now = this.now.toISOString();
    await this.store.mark(
      rec.approvalId,
      "emailedAt",
      now,
      rec.remindAt > now ? rec.remindAt : rec.expiresAt,
    );
    return true;
  }

  /** The approve/reject email to one approver: first as the request, later as its reminder. */
  async emailRequest(rec: ApprovalRecord, approver: string, reminder: boolean): Promise<void> {
    await sendEmail(
      this.deps.ses,
      this.deps.sender,
      approver,
      approvalRequestEmail({
        orderId: rec.orderId,
        requester: rec.requester,
        summary: rec.summary,
        link: this.link(rec, approver),
        expiresAt: rec.expiresAt,
        required: rec.required,
        approverCount: rec.approvers.length,
        reminder,
      }),
    );
  }
}
