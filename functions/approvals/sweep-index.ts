/**
 * The sweep index: approval records that still need work sit in `gsi1pk = APPROVALS#OPEN[#scope]`
 * with `gsi1sk = <next action time>#<id>`, and the sweep reads what is due, oldest first.
 *
 * The time is zero-padded epoch milliseconds (16 digits hold every date JavaScript can make), so
 * the string order of the keys is the order of the times. It used to be an ISO timestamp, whose
 * string order breaks past the year 9999: `+033715-…` sorts before `2026-…`, so one request with an
 * absurd timeout sorted first and, being "due", filled every page the sweep read — starving every
 * normal expiry behind it. Records still keyed by an ISO time (written before) are read by a second
 * range (`1…` to the ISO form of now) until their next write moves them to the numeric form.
 *
 * Reading is paged: the sweep goes on page after page while it has time, so more due records than
 * one page holds are not left for the next run.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";

/** Digits of the largest epoch millisecond a `Date` can hold (8.64e15). */
const WIDTH = 16;

/** The index key of a record whose next action is at `at` (ISO 8601 or epoch ms). */
export function sweepKey(at: string | number, id: string): string {
  const ms = typeof at === "number" ? at : Date.parse(at);
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`not a time for the sweep index: ${at}`);
  return `${String(Math.trunc(ms)).padStart(WIDTH, "0")}#${id}`;
}

/** Where to go on reading the index: which range, and after which key. */
export interface SweepCursor {
  legacy: boolean;
  after?: Record<string, unknown>;
}

export interface DuePage<T> {
  items: T[];
  /** Pass it back for the next page; absent when everything due was read. */
  next?: SweepCursor;
}

/**
 * One page of the records due at or before `now` in `partition`: first the legacy ISO-keyed
 * range, then the numeric one.
 */
export async function queryDue(
  db: DynamoDBDocumentClient,
  table: string,
  partition: string,
  now: Date,
  cursor: SweepCursor = { legacy: true },
  limit = 100,
): Promise<DuePage<Record<string, unknown>>> {
  // ISO keys only go up to the year 9999; past it, every legacy key is due.
  const iso = now.getUTCFullYear() > 9999 ? "9999-12-31T23:59:59.999Z" : now.toISOString();
  const [low, high] = cursor.legacy ? ["1", `${iso}#~`] : ["0", `${sweepKey(now.getTime(), "")}~`];
  const out = await db.send(
    new QueryCommand({
      TableName: table,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :open AND gsi1sk BETWEEN :low AND :high",
      ExpressionAttributeValues: { ":open": partition, ":low": low, ":high": high },
      Limit: limit,
      ...(cursor.after ? { ExclusiveStartKey: cursor.after } : {}),
    }),
  );
  const items = out.Items ?? [];
  if (out.LastEvaluatedKey)
    return { items, next: { legacy: cursor.legacy, after: out.LastEvaluatedKey } };
  return cursor.legacy ? { items, next: { legacy: false } } : { items };
}

/**
 * The time (epoch ms) of the earliest next action in `partition`, or undefined when nothing waits:
 * one key-only read of the index's first item, so the sweep timer can sleep until exactly then.
 * Legacy ISO keys are not looked at (the timer's regular full sweep still covers them).
 */
export async function nextDueAt(
  db: DynamoDBDocumentClient,
  table: string,
  partition: string,
): Promise<number | undefined> {
  const out = await db.send(
    new QueryCommand({
      TableName: table,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :open AND gsi1sk < :legacy",
      ExpressionAttributeValues: { ":open": partition, ":legacy": "1" },
      ProjectionExpression: "gsi1sk",
      Limit: 1,
    }),
  );
  const key = out.Items?.[0]?.gsi1sk;
  return typeof key === "string" ? Number(key.slice(0, WIDTH)) : undefined;
}
