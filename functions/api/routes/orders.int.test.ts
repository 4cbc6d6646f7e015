import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import {
  captureLog,
  signIn,
  TEST_APPROVERS,
  TEST_OPERATORS,
  testDeps,
  unique,
} from "../../../test/approvals/harness.ts";
import { createApi } from "../app.ts";

describe("GET /api/orders", () => {
  it("lists orders newest first for an operator, refusing anonymous callers and approvers", async () => {
    const deps = testDeps({ log: captureLog() });
    const { app } = createApi(deps);
    const orderId = unique("ord");
    const createdAt = "2999-01-01T00:00:00.000Z"; // newer than anything else in the shared table
    const order = {
      orderId,
      status: "FAILED",
      total: 12.5,
      currency: "EUR",
      customer: { name: "Ada", email: "ada@customer.test" },
      createdAt,
      updatedAt: createdAt,
      failureReason: "payment declined",
    };
    await deps.db.send(
      new PutCommand({
        TableName: deps.table,
        Item: {
          pk: `ORDER#${orderId}`,
          sk: "ORDER",
          gsi1pk: "ORDERS",
          gsi1sk: `${createdAt}#${orderId}`,
          ...order,
        },
      }),
    );

    let res: Response;
    try {
      expect((await app.request("/api/orders")).status).toBe(401);
      const approver = await signIn(app, TEST_APPROVERS[0] as string);
      const refused = await app.request("/api/orders", { headers: approver.headers });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { detail: string }).detail).toMatch(/operators only/);
      const { headers } = await signIn(app, TEST_OPERATORS[0] as string);
      res = await app.request("/api/orders?limit=5", { headers });
    } finally {
      // Other suites list orders from the same table; do not leave a far-future order behind.
      await deps.db.send(
        new DeleteCommand({ TableName: deps.table, Key: { pk: `ORDER#${orderId}`, sk: "ORDER" } }),
      );
    }
    const { items } = (await res.json()) as { items: { orderId: string }[] };
    // The stored order comes back without its table keys.
    expect(items[0]).toEqual(order);
    expect(items.length).toBeLessThanOrEqual(5);
  });
});
