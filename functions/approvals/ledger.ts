/**
 * The audit ledger: every event of a request appended to a per-request hash chain. Each entry
 * holds the previous entry's hash and its own (SHA-256 of its canonical JSON, canonical.ts); the
 * chain's head — the last sequence number and hash — is signed with the deployment's key (an
 * HMAC-SHA256 with the SigningKey secret's `ledger` subkey, signing.ts). Editing, removing or
 * reordering an entry breaks a hash, the chain or the signed head (ledger-verify.ts).
 *
 * Layout: entries `pk = APPROVAL#<id>`, `sk = LEDGER#<seq, 6 digits>`; the head `sk = LEDGER`,
 * also in `gsi1pk = LEDGERS[#scope]`, `gsi1sk = <createdAt>#<id>` so exports find the requests
 * of a period. Appends are one transaction (the entry, and the head conditional on the sequence
 * number read): concurrent appends serialise, none is lost or forked. Ledger items have no TTL.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { hashOf } from "./canonical.ts";
import type { Channel } from "./contract.ts";
import type { Signer } from "./signing.ts";

export const LEDGER_EVENT_TYPES = [
  "requested",
  "emailed",
  "announced",
  "viewed",
  "reminded",
  "escalated",
  "delegated",
  "voted",
  "decided",
  "expired",
  "delivered",
] as const;
export type LedgerEventType = (typeof LEDGER_EVENT_TYPES)[number];

/** What a caller appends: the rest (seq, prev, hash) the ledger adds. */
export interface LedgerEvent {
  type: LedgerEventType;
  at: string;
  /** Who acted: an address, or "countersign" for the service itself. */
  actor: string;
  channel: Channel;
  data: Record<string, unknown>;
}

/** One entry of a chain, as stored and exported. */
export interface LedgerEntry extends LedgerEvent {
  approvalId: string;
  seq: number;
  prev: string;
  hash: string;
}

/** A chain's head: how many entries, the last hash, and the deployment's signature over both. */
export interface LedgerHead {
  approvalId: string;
  seq: number;
  hash: string;
  sig: string;
  createdAt: string;
}

/** The `prev` of a chain's first entry. */
export const GENESIS = "0".repeat(64);

/** The hash an entry must carry: over every field but the hash itself. */
export function entryHash(e: Omit<LedgerEntry, "hash">): string {
  const { approvalId, seq, type, at, actor, channel, data, prev } = e;
  return hashOf({ approvalId, seq, type, at, actor, channel, data, prev });
}

/** The head signature: binds the request, the entry count, the last hash and when the chain began. */
export function headSignature(
  signer: Signer,
  head: Pick<LedgerHead, "approvalId" | "seq" | "hash" | "createdAt">,
) {
  return signer.mac("ledger", head.approvalId, String(head.seq), head.hash, head.createdAt);
}

const seqKey = (seq: number) => `LEDGER#${String(seq).padStart(6, "0")}`;

function isConflict(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return (
    name === "TransactionCanceledException" ||
    name === "TransactionConflictException" ||
    name === "ConditionalCheckFailedException"
  );
}

/** Appends to and reads the chains. */
export class Ledger {
  private readonly index: string;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Signs heads on append; readers (the CLI's audit) need none. */
    private readonly signer: Signer | undefined,
    scope?: string,
  ) {
    this.index = scope ? `LEDGERS#${scope}` : "LEDGERS";
  }

  /** Appends one event to `approvalId`'s chain; returns the entry. */
  async append(approvalId: string, event: LedgerEvent): Promise<LedgerEntry> {
    const signer = this.signer;
    if (!signer)
      throw new Error("this Ledger reads only: give it the deployment's Signer to append");
    for (let attempt = 0; attempt < 25; attempt++) {
      const head = await this.head(approvalId);
      const seq = (head?.seq ?? 0) + 1;
      const body = { approvalId, seq, ...event, prev: head?.hash ?? GENESIS };
      const entry: LedgerEntry = { ...body, hash: entryHash(body) };
      const createdAt = head?.createdAt ?? event.at;
      const next: LedgerHead = {
        approvalId,
        seq,
        hash: entry.hash,
        sig: headSignature(signer, { approvalId, seq, hash: entry.hash, createdAt }),
        createdAt,
      };
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    pk: `APPROVAL#${approvalId}`,
                    sk: seqKey(seq),
                    kind: "LedgerEntry",
                    ...entry,
                  },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    pk: `APPROVAL#${approvalId}`,
                    sk: "LEDGER",
                    kind: "LedgerHead",
                    ...next,
                    gsi1pk: this.index,
                    gsi1sk: `${next.createdAt}#${approvalId}`,
                  },
                  ConditionExpression: head ? "seq = :seen" : "attribute_not_exists(pk)",
                  ...(head ? { ExpressionAttributeValues: { ":seen": head.seq } } : {}),
                },
              },
            ],
          }),
        );
        return entry;
      } catch (err) {
        // Another append took this sequence number: read the new head and go again.
        if (!isConflict(err)) throw err;
      }
    }
    throw new Error(`ledger of ${approvalId}: too much contention, try again`);
  }

  async head(approvalId: string): Promise<LedgerHead | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `APPROVAL#${approvalId}`, sk: "LEDGER" },
        ConsistentRead: true,
      }),
    );
    return out.Item ? toHead(out.Item) : undefined;
  }

  /** A request's entries in order, and its head. */
  async read(approvalId: string): Promise<{ entries: LedgerEntry[]; head?: LedgerHead }> {
    const entries: LedgerEntry[] = [];
    let head: LedgerHead | undefined;
    let start: Record<string, unknown> | undefined;
    do {
      const out: QueryCommandOutput = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :ledger)",
          ExpressionAttributeValues: { ":pk": `APPROVAL#${approvalId}`, ":ledger": "LEDGER" },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        if (item.sk === "LEDGER") head = toHead(item);
        else entries.push(toEntry(item));
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return { entries, ...(head ? { head } : {}) };
  }

  /** The ids of the requests whose chains began in [from, to] (ISO times), oldest first. */
  async idsBetween(from: string, to: string): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out: QueryCommandOutput = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: "gsi1",
          KeyConditionExpression: "gsi1pk = :p AND gsi1sk BETWEEN :from AND :to",
          ExpressionAttributeValues: { ":p": this.index, ":from": from, ":to": `${to}#~` },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      ids.push(...(out.Items ?? []).map((i) => String(i.approvalId)));
      start = out.LastEvaluatedKey;
    } while (start);
    return ids;
  }
}

function toEntry(item: Record<string, unknown>): LedgerEntry {
  const { approvalId, seq, type, at, actor, channel, data, prev, hash } =
    item as never as LedgerEntry;
  return { approvalId, seq, type, at, actor, channel, data, prev, hash };
}

function toHead(item: Record<string, unknown>): LedgerHead {
  const { approvalId, seq, hash, sig, createdAt } = item as never as LedgerHead;
  return { approvalId, seq, hash, sig, createdAt };
}
