/**
 * The approvals use cases behind one facade: request (request.ts, the workflows' `.waitForTaskToken`
 * task), inspect a link, decide (decide.ts), change who decides (approvers-change.ts: escalation,
 * delegation, reassignment), the sweep (sweep.ts) and the ledger every event goes to (ledger.ts).
 * The task token is read from the record only to call Step Functions; it is never returned,
 * logged or put in a link.
 */

import { VIEWER } from "./constants.ts";
import type { Channel } from "./contract.ts";

export { SYSTEM_ACTOR, VIEWER } from "./constants.ts";

import { type DecideInput, type DecideResult, decide } from "./decide.ts";
import { DelegationStore } from "./delegations.ts";
import { type ApprovalDeps, cryptoRandom, jsonLog, type Log } from "./deps.ts";
import {
  AlreadyDecidedError,
  AlreadyVotedError,
  ApprovalExpiredError,
  ApprovalNotFoundError,
  InvalidLinkError,
  WrongApproverError,
} from "./errors.ts";
import { Ledger, type LedgerEntry, type LedgerEventType } from "./ledger.ts";
import { requestApproval } from "./request.ts";
import { formToken, type LinkClaims, readLink, Signer, signLink } from "./signing.ts";
import { ApprovalStore } from "./store.ts";
import { ApprovalSweep, type SweepReport } from "./sweep.ts";
import { type ApprovalRecord, principalOf } from "./types.ts";

export type { DecideInput, DecideResult } from "./decide.ts";

export class ApprovalService {
  readonly signer: Signer;
  readonly store: ApprovalStore;
  readonly ledger: Ledger;
  readonly delegations: DelegationStore;
  readonly log: Log;
  readonly #random: (bytes: number) => string;

  constructor(readonly deps: ApprovalDeps) {
    this.signer = new Signer(deps.signingKey);
    this.store = new ApprovalStore(deps.db, deps.table, deps.scope);
    this.ledger = new Ledger(deps.db, deps.table, this.signer, deps.scope);
    this.delegations = new DelegationStore(deps.db, deps.table);
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

  /** The approval link for one approver (or {@link VIEWER}: a read-only link). */
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

  /** Appends one event to a request's ledger, at the service's now. */
  record(
    approvalId: string,
    type: LedgerEventType,
    actor: string,
    channel: Channel,
    data: Record<string, unknown> = {},
  ): Promise<LedgerEntry> {
    return this.ledger.append(approvalId, {
      type,
      at: this.now.toISOString(),
      actor,
      channel,
      data,
    });
  }

  /** Handles a workflow's approval task (request.ts). */
  request(event: unknown): ReturnType<typeof requestApproval> {
    return requestApproval(this, event);
  }

  /** Decides for `input.by` (decide.ts). */
  decide(input: DecideInput): Promise<DecideResult> {
    return decide(this, input);
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
   * foreign signature → 403, approver not (or no longer) on the request → 403. A read-only
   * {@link VIEWER} link passes with `viewer: true`.
   */
  async inspectLink(
    approvalId: string,
    sig: string | undefined,
  ): Promise<{ rec: ApprovalRecord; claims: LinkClaims; csrf: string; viewer: boolean }> {
    const rec = await this.get(approvalId);
    const claims = sig ? readLink(this.signer, sig) : undefined;
    if (!claims || claims.approvalId !== rec.approvalId) {
      throw new InvalidLinkError(
        "The link is damaged or was not made for this request. Open it again from your email.",
      );
    }
    const viewer = claims.approver === VIEWER;
    if (!viewer && !rec.approvers.includes(claims.approver)) {
      throw new WrongApproverError(
        `${claims.approver} is not (or no longer) one of the approvers of this request.`,
      );
    }
    return { rec, claims, csrf: formToken(this.signer, claims), viewer };
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
    const principal = by ? principalOf(rec, by) : undefined;
    const mine = principal
      ? rec.approvals.find((v) => (v.onBehalfOf ?? v.by) === principal)
      : undefined;
    // Still open: their vote counts and more are needed, so the answer must not read as decided.
    if (mine) throw new AlreadyVotedError(mine.by, mine.at, rec.approvals.length, rec.required);
  }

  /**
   * The periodic sweep (cron on AWS, an interval locally, a virtual clock in tests): sweep.ts.
   * `timeLeftMs` is the invocation's remaining time; the sweep stops reading pages near its end.
   */
  sweep(options: { timeLeftMs?: () => number } = {}): Promise<SweepReport> {
    return new ApprovalSweep(this, this.deps).run(options);
  }
}
