/**
 * Where each customer email of a platform stands, read from outside while the platform is frozen
 * (SIGSTOP): the NotifyCustomer invocations whose Powertools record is INPROGRESS, split into
 * those whose mail has not left yet and those whose mail left but whose record was not completed
 * (the only window in which a crash repeats an email: at-least-once), and the mails in the outbox.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

export type NotifyKind = "completed" | "failed";

/** The idempotency record's sort key for one order's email, as Powertools computes it. */
export function notifyRecordKey(orderId: string, kind: NotifyKind): string {
  // BasePersistenceLayer.getHashedIdempotencyKey: `<prefix>#<md5 base64 of the JSON key>`, the key
  // being the handler's `<orderId>#notify-<kind>` (functions/notify-customer.ts).
  const digest = createHash("md5")
    .update(JSON.stringify(`${orderId}#notify-${kind}`))
    .digest("base64");
  return `notify#${digest}`;
}

/** The kind of a customer email, from its subject (functions/orders/notifications.ts). */
export function kindOfSubject(subject: string): NotifyKind | undefined {
  if (subject.endsWith("is on its way")) return "completed";
  if (subject.endsWith("could not be completed")) return "failed";
  return undefined;
}

/** Customer emails in the outbox file, counted by `<orderId>#<kind>`. */
export function mailsByOrder(dataDir: string): Map<string, number> {
  const file = join(dataDir, "outbox.jsonl");
  const counts = new Map<string, number>();
  if (!existsSync(file)) return counts;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line) continue;
    let subject: string;
    try {
      subject = (JSON.parse(line) as { subject: string }).subject;
    } catch {
      continue; // a line cut short by the kill
    }
    const kind = kindOfSubject(subject);
    const orderId = /order (\S+) /.exec(subject)?.[1];
    if (kind && orderId)
      counts.set(`${orderId}#${kind}`, (counts.get(`${orderId}#${kind}`) ?? 0) + 1);
  }
  return counts;
}

export interface NotifyState {
  /** In flight, mail not sent: a crash now must still lead to exactly one email. */
  unsent: string[];
  /** In flight, mail already sent: a crash now may repeat it (the documented at-least-once). */
  sentUnrecorded: string[];
}

/** The state of every planned email (`<orderId>#<kind>`) of a frozen platform. */
export async function notifyState(
  db: DynamoDBDocumentClient,
  table: string,
  dataDir: string,
  planned: string[],
): Promise<NotifyState> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": "IDEMPOTENCY#notify" },
      ConsistentRead: true,
    }),
  );
  const inProgress = new Set(
    (Items ?? []).filter((i) => i.status === "INPROGRESS").map((i) => String(i.sk)),
  );
  const mails = mailsByOrder(dataDir);
  const state: NotifyState = { unsent: [], sentUnrecorded: [] };
  for (const key of planned) {
    const [orderId, kind] = key.split("#") as [string, NotifyKind];
    if (!inProgress.has(notifyRecordKey(orderId, kind))) continue;
    (mails.has(key) ? state.sentUnrecorded : state.unsent).push(key);
  }
  return state;
}
