/**
 * The platform's supervision of DynamoDB Local, on a real JVM of its own (not the run's shared
 * one): killed with SIGKILL, it is started again on the same port with the same data; a request
 * in between fails with an error the saga retries.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { ensureTable } from "../../functions/shared/table-schema.ts";
import { isTransientInfrastructure } from "../../functions/shared/transient.ts";
import { jvmBelow } from "../../test/resilience/processes.ts";
import { type ChildHealth, type SupervisedDynamoDb, superviseDynamoDbLocal } from "./supervisor.ts";

const dir = mkdtempSync(join(tmpdir(), "supervised-dynamodb-"));
let supervised: SupervisedDynamoDb | undefined;
afterAll(async () => {
  await supervised?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("DynamoDB Local under supervision", { timeout: 180_000 }, () => {
  it("comes back on the same port with the same data after its JVM is killed", async () => {
    const changes: ChildHealth["status"][] = [];
    const lines: string[] = [];
    supervised = await superviseDynamoDbLocal({
      dbPath: join(dir, "dynamodb"),
      log: (line) => lines.push(line),
      onChange: (h) => changes.push(h.status),
    });
    const raw = new DynamoDBClient({
      endpoint: supervised.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
      maxAttempts: 1,
    });
    const db = DynamoDBDocumentClient.from(raw);
    await ensureTable(raw, "supervised");
    await db.send(new PutCommand({ TableName: "supervised", Item: { pk: "k", sk: "s", v: 1 } }));
    const jvm = jvmBelow(supervised.pid());

    process.kill(jvm, "SIGKILL");
    const during = await db
      .send(new GetCommand({ TableName: "supervised", Key: { pk: "k", sk: "s" } }))
      .catch((error: unknown) => error);
    // Noticed (restarting), then back (up): the JVM takes seconds to boot.
    await expect.poll(() => changes.length, { timeout: 90_000, interval: 200 }).toBe(3);

    expect(isTransientInfrastructure(during)).toBe(true);
    expect(changes).toEqual(["up", "restarting", "up"]);
    expect(supervised.health()).toMatchObject({ restarts: 1, lastExit: "exit code 137" });
    expect(jvmBelow(supervised.pid())).not.toBe(jvm);
    const { Item } = await db.send(
      new GetCommand({ TableName: "supervised", Key: { pk: "k", sk: "s" }, ConsistentRead: true }),
    );
    expect(Item).toMatchObject({ v: 1 });
    expect(lines.join("\n")).toMatch(
      /exited unexpectedly \(exit code 137\); restarting it on port/,
    );
    raw.destroy();
  });
});
