/**
 * Delegations: an approver names a delegate for a period (from the dashboard); requests made to
 * them in that period go to the delegate, who decides on their behalf ("B for A"). One item per
 * approver: `pk = DELEGATION#<from>`, `sk = DELEGATION`, kept until its end plus a day (TTL).
 * Only the approver themself sets or clears it (the API checks the session); an operator moves a
 * single pending request with `reassign` instead.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from "@aws-sdk/lib-dynamodb";

export interface Delegation {
  from: string;
  to: string;
  startsAt: string;
  endsAt: string;
  setAt: string;
}

const key = (from: string) => ({ pk: `DELEGATION#${from.toLowerCase()}`, sk: "DELEGATION" });

/** Reads and writes delegations. */
export class DelegationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(from: string): Promise<Delegation | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: key(from), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    const { from: f, to, startsAt, endsAt, setAt } = out.Item as Delegation;
    return { from: f, to, startsAt, endsAt, setAt };
  }

  /** The delegate standing in for `from` at `at`, if any. */
  async activeAt(from: string, at: Date): Promise<Delegation | undefined> {
    const d = await this.get(from);
    const t = at.toISOString();
    return d && d.startsAt <= t && t < d.endsAt ? d : undefined;
  }

  async set(d: Delegation): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...key(d.from),
          type: "Delegation",
          ...d,
          ttl: Math.floor(Date.parse(d.endsAt) / 1000) + 24 * 3600,
        },
      }),
    );
  }

  async clear(from: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: key(from) }));
  }
}
