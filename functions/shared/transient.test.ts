import { createServer } from "node:net";
import { IdempotencyPersistenceLayerError } from "@aws-lambda-powertools/idempotency";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { PaymentDeclined } from "../orders/errors.ts";
import {
  isTransientInfrastructure,
  surfaceTransient,
  TransientInfrastructureError,
  withTransientErrors,
} from "./transient.ts";

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What the SDK throws when DynamoDB is down: a real call to a port where nothing listens. */
async function dynamoDownError(): Promise<unknown> {
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${await closedPort()}`,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
    maxAttempts: 1,
  });
  try {
    await client.send(new GetItemCommand({ TableName: "t", Key: { pk: { S: "k" } } }));
  } catch (error) {
    return error;
  } finally {
    client.destroy();
  }
  throw new Error("the call to a closed port succeeded");
}

describe("transient infrastructure errors", () => {
  it("names a DynamoDB connection failure TransientInfrastructureError, keeping the SDK error as cause", async () => {
    const raw = await dynamoDownError();
    expect((raw as Error).name).toBe("Error");

    const surfaced = surfaceTransient(raw) as Error;

    expect(surfaced).toBeInstanceOf(TransientInfrastructureError);
    expect(surfaced.name).toBe("TransientInfrastructureError");
    expect(surfaced.message).toMatch(/ECONNREFUSED/);
    expect(surfaced.cause).toBe(raw);
  });

  it("looks through Powertools' persistence wrapper to the connection failure inside", async () => {
    const wrapped = new IdempotencyPersistenceLayerError("Failed to save in progress record", {
      cause: await dynamoDownError(),
    });
    expect((surfaceTransient(wrapped) as Error).name).toBe("TransientInfrastructureError");
  });

  it("treats throttling, timeouts and 5xx as transient", () => {
    const named = (name: string) => Object.assign(new Error(name), { name });
    expect(isTransientInfrastructure(named("ProvisionedThroughputExceededException"))).toBe(true);
    expect(isTransientInfrastructure(named("ThrottlingException"))).toBe(true);
    expect(isTransientInfrastructure(named("TimeoutError"))).toBe(true);
    const unavailable = Object.assign(new Error("x"), { $metadata: { httpStatusCode: 503 } });
    expect(isTransientInfrastructure(unavailable)).toBe(true);
  });

  it("leaves domain errors and bugs as they are", async () => {
    const declined = new PaymentDeclined("declined");
    const bug = new TypeError("x is undefined");
    const denied = Object.assign(new Error("no"), {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    });
    expect(surfaceTransient(declined)).toBe(declined);
    expect(surfaceTransient(bug)).toBe(bug);
    expect(surfaceTransient(denied)).toBe(denied);
    const handler = withTransientErrors(async () => {
      throw declined;
    });
    await expect(handler()).rejects.toBe(declined);
  });
});
