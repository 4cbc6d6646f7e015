/**
 * An in-memory DynamoDB speaking the JSON wire protocol on 127.0.0.1 — a fast test double for the
 * property-based saga tests and the soak run, where thousands of sagas × ~50 requests would take
 * many minutes on DynamoDB Local's JVM. Handlers and Powertools use it unchanged through
 * `AWS_ENDPOINT_URL_DYNAMODB`.
 *
 * It covers the subset Countersign uses, with DynamoDB's semantics and error shapes: GetItem,
 * PutItem, UpdateItem, DeleteItem, BatchGetItem, TransactWriteItems (all-or-nothing, per-item
 * CancellationReasons), Query (key condition evaluated as a filter), CreateTable, DescribeTable,
 * UpdateTimeToLive (accepted, not enforced); condition expressions (comparisons, AND/OR/NOT, IN,
 * BETWEEN, attribute_exists/not_exists, begins_with, contains, size) and update expressions (SET
 * with + / -, if_not_exists, list_append; REMOVE; ADD). Requests run one at a time, so it never
 * reports TransactionConflict. DynamoDB Local stays the reference: the integration tests use it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  applyUpdate,
  type ExprContext,
  ExpressionError,
  evaluateCondition,
  type Item,
} from "./memory-dynamodb-expressions.ts";

/** A request body of the JSON protocol (its shape depends on the operation). */
// biome-ignore lint/suspicious/noExplicitAny: wire payloads are checked by the operation using them
type Req = Record<string, any>;

export interface MemoryDynamoDb {
  endpoint: string;
  /** Number of requests served (to report how much work a run did). */
  requests(): number;
  stop(): Promise<void>;
}

interface Table {
  name: string;
  hash: string;
  range?: string;
  indexes: Map<string, { hash: string; range?: string }>;
  items: Map<string, Item>;
  definition: Record<string, unknown>;
}

class DynamoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = type;
  }
}

const conditionFailed = (old?: Item) =>
  new DynamoError(
    "ConditionalCheckFailedException",
    "The conditional request failed",
    old ? { Item: old } : {},
  );

/** Starts the in-memory DynamoDB on a free loopback port. */
export async function startMemoryDynamoDb(): Promise<MemoryDynamoDb> {
  const tables = new Map<string, Table>();
  let count = 0;

  const table = (name: unknown): Table => {
    const t = tables.get(String(name));
    if (!t) throw new DynamoError("ResourceNotFoundException", "Requested resource not found");
    return t;
  };
  const keyOf = (t: Table, item: Item): string => {
    const h = item[t.hash];
    const r = t.range ? item[t.range] : undefined;
    if (!h || (t.range && !r)) {
      throw new DynamoError(
        "ValidationException",
        "The provided key element does not match the schema",
      );
    }
    return `${JSON.stringify(h)}|${JSON.stringify(r ?? null)}`;
  };
  const ctx = (req: Req): ExprContext => ({
    names: req.ExpressionAttributeNames ?? {},
    values: req.ExpressionAttributeValues ?? {},
  });
  const check = (req: Req, old: Item | undefined) =>
    !req.ConditionExpression || evaluateCondition(req.ConditionExpression, old ?? {}, ctx(req));
  const clone = (i: Item | undefined) => (i ? structuredClone(i) : undefined);

  /** Returns the write to apply if the request's condition holds; throws otherwise. */
  const prepare = (kind: string, req: Req): { t: Table; key: string; next?: Item; old?: Item } => {
    const t = table(req.TableName);
    const key = keyOf(t, kind === "Put" ? req.Item : req.Key);
    const old = t.items.get(key);
    if (!check(req, old))
      throw conditionFailed(
        req.ReturnValuesOnConditionCheckFailure === "ALL_OLD" ? clone(old) : undefined,
      );
    if (kind === "Put") return { t, key, next: structuredClone(req.Item), old };
    if (kind === "Delete" || kind === "ConditionCheck") return { t, key, next: undefined, old };
    const base: Item = old ? structuredClone(old) : structuredClone(req.Key);
    const next = req.UpdateExpression ? applyUpdate(req.UpdateExpression, base, ctx(req)) : base;
    if (keyOf(t, next) !== key)
      throw new DynamoError(
        "ValidationException",
        "Cannot update attribute: it is part of the key",
      );
    return { t, key, next, old };
  };
  const commit = (w: { t: Table; key: string; next?: Item }, kind: string) => {
    if (kind === "ConditionCheck") return;
    if (w.next) w.t.items.set(w.key, w.next);
    else w.t.items.delete(w.key);
  };
  const returned = (rv: string | undefined, old: Item | undefined, next: Item | undefined) =>
    rv === "ALL_NEW" ? { Attributes: next } : rv === "ALL_OLD" && old ? { Attributes: old } : {};

  const ops: Record<string, (req: Req) => unknown> = {
    CreateTable(req) {
      if (tables.has(req.TableName))
        throw new DynamoError("ResourceInUseException", `Table already exists: ${req.TableName}`);
      const keyAttr = (schema: { AttributeName: string; KeyType: string }[], type: string) =>
        schema.find((k) => k.KeyType === type)?.AttributeName;
      const t: Table = {
        name: req.TableName,
        hash: keyAttr(req.KeySchema, "HASH") as string,
        range: keyAttr(req.KeySchema, "RANGE"),
        indexes: new Map(),
        items: new Map(),
        definition: { ...req, TableStatus: "ACTIVE", ItemCount: 0 },
      };
      for (const gsi of req.GlobalSecondaryIndexes ?? []) {
        t.indexes.set(gsi.IndexName, {
          hash: keyAttr(gsi.KeySchema, "HASH") as string,
          range: keyAttr(gsi.KeySchema, "RANGE"),
        });
      }
      tables.set(t.name, t);
      return { TableDescription: t.definition };
    },
    DescribeTable: (req) => ({ Table: table(req.TableName).definition }),
    UpdateTimeToLive: (req) => ({ TimeToLiveSpecification: req.TimeToLiveSpecification }),
    ListTables: () => ({ TableNames: [...tables.keys()] }),
    GetItem(req) {
      const t = table(req.TableName);
      const item = t.items.get(keyOf(t, req.Key));
      return item ? { Item: item } : {};
    },
    PutItem(req) {
      const w = prepare("Put", req);
      commit(w, "Put");
      return returned(req.ReturnValues, w.old, w.next);
    },
    UpdateItem(req) {
      const w = prepare("Update", req);
      commit(w, "Update");
      return returned(req.ReturnValues, w.old, w.next);
    },
    DeleteItem(req) {
      const w = prepare("Delete", req);
      commit(w, "Delete");
      return returned(req.ReturnValues, w.old, undefined);
    },
    BatchGetItem(req) {
      const Responses: Record<string, Item[]> = {};
      for (const [name, spec] of Object.entries<Req>(req.RequestItems ?? {})) {
        const t = table(name);
        Responses[name] = spec.Keys.map((k: Item) => t.items.get(keyOf(t, k))).filter(Boolean);
      }
      return { Responses, UnprocessedKeys: {} };
    },
    TransactWriteItems(req) {
      const items: Req[] = req.TransactItems ?? [];
      if (items.length > 100)
        throw new DynamoError(
          "ValidationException",
          "Member must have length less than or equal to 100",
        );
      const writes: ({ t: Table; key: string; next?: Item; kind: string } | undefined)[] = [];
      const reasons: Record<string, unknown>[] = [];
      const seen = new Set<string>();
      for (const entry of items) {
        const [kind, body] = Object.entries(entry)[0] as [string, Req];
        try {
          const w = prepare(kind, body);
          const id = `${w.t.name}#${w.key}`;
          if (seen.has(id))
            throw new DynamoError(
              "ValidationException",
              "Transaction request cannot include multiple operations on one item",
            );
          seen.add(id);
          writes.push({ ...w, kind });
          reasons.push({ Code: "None" });
        } catch (error) {
          if (!(error instanceof DynamoError) || error.type !== "ConditionalCheckFailedException")
            throw error;
          writes.push(undefined);
          reasons.push({
            Code: "ConditionalCheckFailed",
            Message: "The conditional request failed",
            ...error.extra,
          });
        }
      }
      if (writes.some((w) => !w)) {
        throw new DynamoError(
          "TransactionCanceledException",
          `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
          { CancellationReasons: reasons },
        );
      }
      for (const w of writes) if (w) commit(w, w.kind);
      return {};
    },
    Query(req) {
      const t = table(req.TableName);
      const index = req.IndexName ? t.indexes.get(req.IndexName) : { hash: t.hash, range: t.range };
      if (!index)
        throw new DynamoError(
          "ValidationException",
          `The table does not have the specified index: ${req.IndexName}`,
        );
      const c = ctx(req);
      // A base-table query on `hash = :v` only looks at that partition's keys (keyOf's prefix),
      // so the property test's thousands of orders do not make every Query a full scan.
      const eq = req.IndexName
        ? undefined
        : /^\s*(#?\w+)\s*=\s*(:\w+)\s*(?:$|AND\b)/i.exec(String(req.KeyConditionExpression ?? ""));
      const hashName = eq?.[1]?.startsWith("#") ? c.names[eq[1]] : eq?.[1];
      const prefix =
        eq && hashName === t.hash && c.values[eq[2] as string]
          ? `${JSON.stringify(c.values[eq[2] as string])}|`
          : undefined;
      const candidates = prefix
        ? [...t.items].filter(([k]) => k.startsWith(prefix)).map(([, i]) => i)
        : [...t.items.values()];
      let found = candidates.filter(
        (i) =>
          i[index.hash] !== undefined &&
          evaluateCondition(req.KeyConditionExpression, i, c) &&
          (!req.FilterExpression || evaluateCondition(req.FilterExpression, i, c)),
      );
      if (index.range) {
        const r = index.range;
        const sortKey = (i: Item) =>
          i[r]?.N !== undefined ? Number(i[r].N) : String(i[r]?.S ?? "");
        found.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
      }
      if (req.ScanIndexForward === false) found.reverse();
      if (req.Limit) found = found.slice(0, req.Limit);
      return { Items: found, Count: found.length, ScannedCount: found.length };
    },
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      count++;
      const op = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
      let status = 200;
      let body: unknown;
      try {
        const handler = ops[op];
        if (!handler)
          throw new DynamoError("UnknownOperationException", `Unsupported operation ${op}`);
        body = handler(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
      } catch (error) {
        status = 400;
        const e =
          error instanceof DynamoError
            ? error
            : error instanceof ExpressionError || error instanceof SyntaxError
              ? new DynamoError("ValidationException", error.message)
              : new DynamoError("InternalFailure", String(error));
        if (e.type === "InternalFailure") status = 500;
        body = {
          __type: `com.amazonaws.dynamodb.v20120810#${e.type}`,
          message: e.message,
          ...e.extra,
        };
      }
      const text = JSON.stringify(body);
      res.writeHead(status, {
        "content-type": "application/x-amz-json-1.0",
        "content-length": Buffer.byteLength(text),
        "x-amzn-requestid": `mem-${count}`,
      });
      res.end(text);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => count,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
