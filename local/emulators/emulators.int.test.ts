import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { describe, expect, inject, it } from "vitest";
import { readOutbox, startSesLocal } from "./ses-local.ts";

describe("emulators of the test run (test/global-setup.ts)", () => {
  it("DynamoDB Local answers on the provided endpoint and holds the shared table", async () => {
    const client = new DynamoDBClient({});

    const { TableNames } = await client.send(new ListTablesCommand({}));

    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(inject("dynamoEndpoint"));
    expect(TableNames).toContain(inject("tableName"));
  });

  it("mail sent through SESv2 shows in the outbox read from another process's view", async () => {
    const to = `outbox-${crypto.randomUUID()}@example.test`;

    await new SESv2Client({}).send(
      new SendEmailCommand({
        FromEmailAddress: "orders@countersign.local",
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: "Hello" },
            Body: { Text: { Data: "plain" }, Html: { Data: "<p>html</p>" } },
          },
        },
      }),
    );

    const mail = (await readOutbox(inject("sesEndpoint"))).find((m) => m.to.includes(to));
    expect(mail).toMatchObject({ subject: "Hello", text: "plain", html: "<p>html</p>" });
    expect(Date.parse(mail?.at ?? "")).not.toBeNaN();
  });
});

describe("startSesLocal", () => {
  it("binds loopback only and clears its outbox", async () => {
    await expect(startSesLocal({ host: "0.0.0.0" as "127.0.0.1" })).rejects.toThrow(/127\.0\.0\.1/);
    const ses = await startSesLocal({ port: 0 });
    try {
      expect(ses.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await ses.clear();
      expect(await ses.outbox()).toEqual([]);
    } finally {
      await ses.stop();
    }
  });
});
