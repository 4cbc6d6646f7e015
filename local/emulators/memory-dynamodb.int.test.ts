/**
 * Differential test: the same requests against DynamoDB Local (the reference) and the in-memory
 * double must give the same answers — items, returned attributes, error names and cancellation
 * reasons. Covers every expression form the saga, Powertools and the approvals use.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureTable } from "../../functions/shared/table-schema.ts";
import { type MemoryDynamoDb, startMemoryDynamoDb } from "./memory-dynamodb.ts";

const T = "countersign-test";
let memory: MemoryDynamoDb;
let clients: { name: string; db: DynamoDBDocumentClient }[];

beforeAll(async () => {
  memory = await startMemoryDynamoDb();
  const make = (endpoint: string) => {
    const raw = new DynamoDBClient({ endpoint });
    return { raw, db: DynamoDBDocumentClient.from(raw) };
  };
  const local = make(inject("dynamoEndpoint"));
  const mem = make(memory.endpoint);
  await ensureTable(mem.raw, T);
  clients = [
    { name: "local", db: local.db },
    { name: "memory", db: mem.db },
  ];
});
afterAll(() => memory.stop());

/** Runs `send` on both and returns [reference, double] outcomes (value or error essentials). */
async function both(send: (db: DynamoDBDocumentClient) => Promise<unknown>) {
  return Promise.all(
    clients.map(async ({ db }) => {
      try {
        const out = (await send(db)) as Record<string, unknown>;
        const { $metadata: _, ...rest } = out;
        return { ok: rest };
      } catch (error) {
        const e = error as {
          name: string;
          CancellationReasons?: { Code: string }[];
          Item?: unknown;
        };
        return {
          error: e.name,
          reasons: e.CancellationReasons?.map((r) => r.Code),
          item: e.Item,
        };
      }
    }),
  );
}

const id = `DIFF#${crypto.randomUUID()}`;
const key = (sk: string) => ({ pk: id, sk });

describe("in-memory DynamoDB agrees with DynamoDB Local", () => {
  const cases: [string, (db: DynamoDBDocumentClient) => Promise<unknown>][] = [
    [
      "put",
      (db) =>
        db.send(
          new PutCommand({
            TableName: T,
            Item: { ...key("a"), n: 5, s: "x", l: [1], m: { k: "v" } },
          }),
        ),
    ],
    [
      "put if not exists (fails, returns old)",
      (db) =>
        db.send(
          new PutCommand({
            TableName: T,
            Item: { ...key("a") },
            ConditionExpression: "attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
        ),
    ],
    ["get", (db) => db.send(new GetCommand({ TableName: T, Key: key("a"), ConsistentRead: true }))],
    ["get missing", (db) => db.send(new GetCommand({ TableName: T, Key: key("zz") }))],
    [
      "update arithmetic + if_not_exists, ALL_NEW",
      (db) =>
        db.send(
          new UpdateCommand({
            TableName: T,
            Key: key("a"),
            UpdateExpression:
              "SET n = n - :q, #c = if_not_exists(#c, :z) + :q, l = list_append(l, :l) REMOVE s",
            ExpressionAttributeNames: { "#c": "count" },
            ExpressionAttributeValues: { ":q": 2, ":z": 0, ":l": [2] },
            ReturnValues: "ALL_NEW",
          }),
        ),
    ],
    [
      "update guarded (fails)",
      (db) =>
        db.send(
          new UpdateCommand({
            TableName: T,
            Key: key("a"),
            UpdateExpression: "SET n = n - :q",
            ConditionExpression: "n >= :q",
            ExpressionAttributeValues: { ":q": 100 },
          }),
        ),
    ],
    [
      "update ADD on missing item creates it",
      (db) =>
        db.send(
          new UpdateCommand({
            TableName: T,
            Key: key("b"),
            UpdateExpression: "ADD attempts :one",
            ExpressionAttributeValues: { ":one": 1 },
            ReturnValues: "ALL_NEW",
          }),
        ),
    ],
    [
      "IN / OR / NOT / parentheses",
      (db) =>
        db.send(
          new UpdateCommand({
            TableName: T,
            Key: key("a"),
            UpdateExpression: "SET st = :s",
            ConditionExpression:
              "(attribute_not_exists(st) OR st IN (:a, :b)) AND NOT n > :big AND begins_with(pk, :p)",
            ExpressionAttributeValues: {
              ":s": "A",
              ":a": "A",
              ":b": "B",
              ":big": 99,
              ":p": "DIFF#",
            },
            ReturnValues: "ALL_OLD",
          }),
        ),
    ],
    [
      "<> on a missing attribute",
      (db) =>
        db.send(
          new UpdateCommand({
            TableName: T,
            Key: key("a"),
            UpdateExpression: "SET z = :v",
            ConditionExpression: "nothere <> :v",
            ExpressionAttributeValues: { ":v": 1 },
          }),
        ),
    ],
    [
      "Powertools-style put",
      (db) =>
        db.send(
          new PutCommand({
            TableName: T,
            Item: { ...key("idem"), status: "INPROGRESS", expiration: 10 },
            ConditionExpression:
              "attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)",
            ExpressionAttributeNames: {
              "#id": "pk",
              "#expiry": "expiration",
              "#status": "status",
              "#in_progress_expiry": "in_progress_expiration",
            },
            ExpressionAttributeValues: {
              ":now": 5,
              ":now_in_millis": 5000,
              ":inprogress": "INPROGRESS",
            },
          }),
        ),
    ],
    [
      "Powertools-style put again (fails with old item)",
      (db) =>
        db.send(
          new PutCommand({
            TableName: T,
            Item: { ...key("idem"), status: "INPROGRESS", expiration: 10 },
            ConditionExpression: "attribute_not_exists(#id) OR #expiry < :now",
            ExpressionAttributeNames: { "#id": "pk", "#expiry": "expiration" },
            ExpressionAttributeValues: { ":now": 5 },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
        ),
    ],
    [
      "transaction cancelled with per-item reasons",
      (db) =>
        db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: T,
                  Key: key("a"),
                  UpdateExpression: "SET n = n - :q",
                  ConditionExpression: "n >= :q",
                  ExpressionAttributeValues: { ":q": 1 },
                },
              },
              {
                Put: {
                  TableName: T,
                  Item: key("b"),
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                ConditionCheck: {
                  TableName: T,
                  Key: key("a"),
                  ConditionExpression: "attribute_exists(pk)",
                },
              },
            ],
          }),
        ),
    ],
    [
      "state after the cancelled transaction",
      (db) => db.send(new GetCommand({ TableName: T, Key: key("a"), ConsistentRead: true })),
    ],
    [
      "transaction committed",
      (db) =>
        db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: T,
                  Key: key("a"),
                  UpdateExpression: "SET n = n - :q, r = if_not_exists(r, :z) + :q",
                  ConditionExpression: "n >= :q",
                  ExpressionAttributeValues: { ":q": 1, ":z": 0 },
                },
              },
              {
                Put: {
                  TableName: T,
                  Item: { ...key("c"), v: true },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              { Delete: { TableName: T, Key: key("idem") } },
            ],
          }),
        ),
    ],
    [
      "batch get",
      (db) =>
        db.send(
          new BatchGetCommand({
            RequestItems: {
              [T]: { Keys: [key("a"), key("c"), key("nope")], ConsistentRead: true },
            },
          }),
        ),
    ],
    [
      "query BETWEEN, descending",
      (db) =>
        db.send(
          new QueryCommand({
            TableName: T,
            KeyConditionExpression: "pk = :p AND sk BETWEEN :x AND :y",
            ExpressionAttributeValues: { ":p": id, ":x": "a", ":y": "c" },
            ScanIndexForward: false,
            ConsistentRead: true,
          }),
        ),
    ],
    [
      "query begins_with",
      (db) =>
        db.send(
          new QueryCommand({
            TableName: T,
            KeyConditionExpression: "pk = :p AND begins_with(sk, :s)",
            ExpressionAttributeValues: { ":p": id, ":s": "b" },
            ConsistentRead: true,
          }),
        ),
    ],
    [
      "delete with ALL_OLD",
      (db) => db.send(new DeleteCommand({ TableName: T, Key: key("c"), ReturnValues: "ALL_OLD" })),
    ],
    [
      "bad expression",
      (db) =>
        db.send(
          new UpdateCommand({ TableName: T, Key: key("a"), UpdateExpression: "SET n = = 1" }),
        ),
    ],
  ];

  it.each(cases)("%s", async (_, send) => {
    const [reference, double] = await both(send);
    // BatchGetItem's order is undefined; sort both by sort key.
    if (reference && "ok" in reference && reference.ok?.Responses) {
      const sort = (r: { ok: { Responses: Record<string, { sk: string }[]> } }) =>
        r.ok.Responses[T]?.sort((a, b) => a.sk.localeCompare(b.sk));
      sort(reference as never);
      sort(double as never);
    }
    expect(double).toEqual(reference);
  });
});
