/**
 * Approval items in the single table. Layout:
 * - the record: `pk = APPROVAL#<id>`, `sk = APPROVAL`; while it still needs work (a reminder, an
 *   expiry, telling Step Functions) it sits in the sparse index `gsi1pk = APPROVALS#OPEN`,
 *   `gsi1sk = <next action time as zero-padded epoch ms>#<id>`, which the reminder sweep reads
 *   (sweep-index.ts);
 * - one index item per approver: `pk = APPROVAL#<id>`, `sk = APPROVER#<email>`,
 *   `gsi1pk = APPROVER#<email>`, `gsi1sk = <createdAt>#<id>` ("pending approvals of approver X").
 * Every state change is a conditional write, so concurrent clicks cannot both win.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Vote } from "./contract.ts";
import { nextActionAt } from "./policy.ts";
import { type DuePage, nextDueAt, queryDue, type SweepCursor, sweepKey } from "./sweep-index.ts";
import type { ApprovalRecord } from "./types.ts";

const RETENTION_SECONDS = 90 * 24 * 60 * 60;

const key = (id: string) => ({ pk: `APPROVAL#${id}`, sk: "APPROVAL" });
const openKey = sweepKey;
/** A decided record is retried by the sweep only after the decider had its chance to notify. */
const retryAt = (at: string) => new Date(Date.parse(at) + 60_000).toISOString();
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Strips storage-only attributes from an item. */
function fromItem(item: Record<string, unknown>): ApprovalRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ttl: _ttl, type: _type, ...rest } = item;
  return rest as unknown as ApprovalRecord;
}

function isConditionFailure(err: unknown): boolean {
  return (
    err instanceof ConditionalCheckFailedException ||
    (err as { name?: string })?.name === "ConditionalCheckFailedException" ||
    ((err as { name?: string })?.name === "TransactionCanceledException" &&
      String((err as Error).message).includes("ConditionalCheckFailed"))
  );
}

/** Reads and writes approval items. */
export class ApprovalStore {
  /** The sweep index partition: `APPROVALS#OPEN`, or `APPROVALS#OPEN#<scope>` for a shared table. */
  private readonly open: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    scope?: string,
  ) {
    this.open = scope ? `APPROVALS#OPEN#${scope}` : "APPROVALS#OPEN";
  }

  /** Creates the record and its approver index items; `false` when it already exists. */
  async create(rec: ApprovalRecord): Promise<boolean> {
    const ttl = epoch(rec.expiresAt) + RETENTION_SECONDS;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...key(rec.approvalId),
                  type: "Approval",
                  ...rec,
                  gsi1pk: this.open,
                  gsi1sk: openKey(nextActionAt(rec), rec.approvalId),
                  ttl,
                },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            ...this.indexItems(rec, rec.approvers),
          ],
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** "Pending approvals of approver X" index items for `approvers` of `rec`. */
  private indexItems(
    rec: Pick<ApprovalRecord, "approvalId" | "createdAt" | "expiresAt">,
    approvers: string[],
  ) {
    const ttl = epoch(rec.expiresAt) + RETENTION_SECONDS;
    return approvers.map((approver) => ({
      Put: {
        TableName: this.table,
        Item: {
          pk: `APPROVAL#${rec.approvalId}`,
          sk: `APPROVER#${approver}`,
          type: "ApproverIndex",
          approvalId: rec.approvalId,
          gsi1pk: `APPROVER#${approver}`,
          gsi1sk: `${rec.createdAt}#${rec.approvalId}`,
          ttl,
        },
      },
    }));
  }

  /**
   * Changes who may decide a PENDING request (escalation adds approvers, an operator reassigns
   * one): the new approver list and delegate map, written only if the list is still `before`
   * (so two changes cannot both apply to the same list), plus index items for `added`. `set`
   * adds fields (`escalatedAt`) that must not exist yet.
   */
  async changeApprovers(
    rec: ApprovalRecord,
    change: {
      approvers: string[];
      onBehalfOf: Record<string, string>;
      added: string[];
      set?: { escalatedAt: string };
    },
  ): Promise<boolean> {
    const next = { ...rec, ...change.set };
    const sets = ["approvers = :after", "onBehalfOf = :map", "gsi1sk = :next"];
    const values: Record<string, unknown> = {
      ":after": change.approvers,
      ":before": rec.approvers,
      ":map": change.onBehalfOf,
      ":pending": "PENDING",
      ":next": openKey(nextActionAt(next), rec.approvalId),
    };
    let condition = "#status = :pending AND approvers = :before";
    if (change.set) {
      sets.push("escalatedAt = :esc");
      values[":esc"] = change.set.escalatedAt;
      condition += " AND attribute_not_exists(escalatedAt)";
    }
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: key(rec.approvalId),
                UpdateExpression: `SET ${sets.join(", ")}`,
                ConditionExpression: condition,
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: values,
              },
            },
            ...this.indexItems(rec, change.added),
          ],
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** Moves a PENDING record whose key fell behind to its next action time. */
  async rekey(rec: ApprovalRecord): Promise<boolean> {
    return this.conditional({
      Key: key(rec.approvalId),
      UpdateExpression: "SET gsi1sk = :next",
      ConditionExpression: "#status = :pending AND attribute_exists(gsi1pk)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":pending": "PENDING",
        ":next": openKey(nextActionAt(rec), rec.approvalId),
      },
    });
  }

  /** Claims reminder number `index` (0-based) of a PENDING record; `false` if it was claimed. */
  async claimReminder(rec: ApprovalRecord, index: number): Promise<boolean> {
    const next = nextActionAt({ ...rec, remindersSent: index + 1 });
    return this.conditional({
      Key: key(rec.approvalId),
      UpdateExpression: "SET remindersSent = :after, gsi1sk = :next",
      ConditionExpression: "#status = :pending AND remindersSent = :before",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":after": index + 1,
        ":before": index,
        ":pending": "PENDING",
        ":next": openKey(next, rec.approvalId),
      },
    });
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: key(id), ConsistentRead: true }),
    );
    return out.Item ? fromItem(out.Item) : undefined;
  }

  /**
   * Adds one approval if the record is still PENDING, unexpired, has exactly `seen` approvals and
   * none from this approver; `final` also closes it as APPROVED. `false` when the condition failed.
   */
  async addApproval(
    id: string,
    vote: Vote,
    seen: number,
    final: boolean,
    now: string,
  ): Promise<boolean> {
    const sets = [
      "approvals = list_append(approvals, :vote)",
      "approvedBy = list_append(approvedBy, :me)",
    ];
    const principal = vote.onBehalfOf ?? vote.by;
    const values: Record<string, unknown> = {
      ":vote": [vote],
      ":me": [principal],
      ":principal": principal,
      ":pending": "PENDING",
      ":n": seen,
      ":now": now,
    };
    if (final) {
      sets.push("#status = :approved", "decidedAt = :at", "decidedBy = :by", "gsi1sk = :next");
      values[":approved"] = "APPROVED";
      values[":by"] = vote.by;
      values[":at"] = vote.at;
      values[":next"] = openKey(retryAt(vote.at), id);
    }
    return this.conditional({
      Key: key(id),
      UpdateExpression: `SET ${sets.join(", ")}`,
      ConditionExpression:
        "#status = :pending AND size(approvals) = :n AND NOT contains(approvedBy, :principal) AND expiresAt > :now",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: values,
    });
  }

  /** Rejects if still PENDING, unexpired, and this approver (or whom they act for) has not approved. */
  async reject(id: string, vote: Vote, now: string): Promise<boolean> {
    return this.conditional({
      Key: key(id),
      UpdateExpression:
        "SET #status = :rejected, rejection = :vote, decidedAt = :at, decidedBy = :by, gsi1sk = :next",
      ConditionExpression:
        "#status = :pending AND NOT contains(approvedBy, :principal) AND expiresAt > :now",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":rejected": "REJECTED",
        ":vote": vote,
        ":at": vote.at,
        ":by": vote.by,
        ":principal": vote.onBehalfOf ?? vote.by,
        ":next": openKey(retryAt(vote.at), id),
        ":pending": "PENDING",
        ":now": now,
      },
    });
  }

  /** PENDING → EXPIRED (the deadline passed). Leaves the sweep index so the requester is told. */
  async expire(id: string, now: string): Promise<boolean> {
    return this.conditional({
      Key: key(id),
      UpdateExpression: "SET #status = :expired, gsi1sk = :next",
      ConditionExpression: "#status = :pending",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":expired": "EXPIRED",
        ":pending": "PENDING",
        ":next": openKey(now, id),
      },
    });
  }

  /** A decision Step Functions refused because the task is gone (timed out): the record expired. */
  async decisionTooLate(id: string, now: string): Promise<boolean> {
    return this.conditional({
      Key: key(id),
      UpdateExpression: "SET #status = :expired, notifiedAt = :now, gsi1sk = :next",
      ConditionExpression: "#status IN (:approved, :rejected)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":expired": "EXPIRED",
        ":approved": "APPROVED",
        ":rejected": "REJECTED",
        ":now": now,
        ":next": openKey(now, id),
      },
    });
  }

  /** Step Functions has the outcome: leave the sweep index. */
  async notified(id: string, now: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: key(id),
        UpdateExpression: "SET notifiedAt = :now REMOVE gsi1pk, gsi1sk",
        ExpressionAttributeValues: { ":now": now },
      }),
    );
  }

  /**
   * Records (once) that a one-off email is going or went out; `false` when it already was. `next`: a time to look again, `null` to leave the sweep
   * index, `undefined` to leave the index as it is.
   */
  async mark(
    id: string,
    field: "emailedAt" | "announcedAt" | "expiryNotifiedAt",
    now: string,
    next?: string | null,
  ): Promise<boolean> {
    const update =
      next === undefined
        ? `SET ${field} = :now`
        : next === null
          ? `SET ${field} = :now REMOVE gsi1pk, gsi1sk`
          : `SET ${field} = :now, gsi1sk = :next`;
    // Only the first caller sets it: two overlapping sweeps cannot both claim the same email.
    return this.conditional({
      Key: key(id),
      UpdateExpression: update,
      ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(${field})`,
      ExpressionAttributeValues:
        typeof next === "string" ? { ":now": now, ":next": openKey(next, id) } : { ":now": now },
    });
  }

  /**
   * Moves a record whose first emails failed to `at` in the sweep index, unless they went out
   * meanwhile.
   */
  async reschedule(id: string, at: string): Promise<boolean> {
    return this.conditional({
      Key: key(id),
      UpdateExpression: "SET gsi1sk = :next",
      ConditionExpression: "attribute_exists(gsi1pk) AND attribute_not_exists(emailedAt)",
      ExpressionAttributeValues: { ":next": openKey(at, id) },
    });
  }

  /** One page of the records whose next action is due at or before `now`, oldest first. */
  async duePage(now: Date, cursor?: SweepCursor, limit = 100): Promise<DuePage<ApprovalRecord>> {
    const page = await queryDue(this.db, this.table, this.open, now, cursor, limit);
    return { ...page, items: page.items.map(fromItem) };
  }

  /** When the earliest next action in the sweep index is due (epoch ms); undefined: none. */
  nextDue(): Promise<number | undefined> {
    return nextDueAt(this.db, this.table, this.open);
  }

  /** Every record still in the sweep index whose next action is due by `now` (all pages). */
  async due(now: Date): Promise<ApprovalRecord[]> {
    const all: ApprovalRecord[] = [];
    let cursor: SweepCursor | undefined;
    do {
      const page = await this.duePage(now, cursor, 1000);
      all.push(...page.items);
      cursor = page.next;
    } while (cursor);
    return all;
  }

  /** The approvals that name `approver`, newest first. */
  async forApprover(approver: string, limit = 200): Promise<ApprovalRecord[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :me",
        ExpressionAttributeValues: { ":me": `APPROVER#${approver}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const ids = [...new Set((out.Items ?? []).map((i) => String(i.approvalId)))];
    const records: ApprovalRecord[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map(key);
      while (keys && keys.length > 0) {
        const got: BatchGetCommandOutput = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }),
        );
        records.push(...(got.Responses?.[this.table] ?? []).map(fromItem));
        keys = got.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return records.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  private async conditional(
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], "TableName">,
  ): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.table, ...input }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
