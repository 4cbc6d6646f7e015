import { readFileSync } from "node:fs";
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

  it("DynamoDB Local listens on 127.0.0.1 only: it holds task tokens and order data", () => {
    const port = Number(new URL(inject("dynamoEndpoint")).port);
    const hex = port.toString(16).toUpperCase().padStart(4, "0");
    // Listening sockets (state 0A) on that port, from the kernel's own tables.
    const listening = ["/proc/net/tcp", "/proc/net/tcp6"]
      .flatMap((file) => readFileSync(file, "utf8").trim().split("\n").slice(1))
      .map((line) => line.trim().split(/\s+/))
      .filter(([, local, , state]) => state === "0A" && local?.endsWith(`:${hex}`))
      .map(([, local]) => local?.split(":")[0]);

    expect(listening.length).toBeGreaterThan(0);
    // 127.0.0.1 as IPv4, or as an IPv4-mapped IPv6 address; never 0.0.0.0 or ::.
    for (const address of listening) {
      expect(["0100007F", "0000000000000000FFFF00000100007F"]).toContain(address);
    }
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

  it("reads only the mail sent since a given second", async () => {
    const to = `since-${crypto.randomUUID()}@example.test`;
    await new SESv2Client({}).send(
      new SendEmailCommand({
        FromEmailAddress: "orders@countersign.local",
        Destination: { ToAddresses: [to] },
        Content: { Simple: { Subject: { Data: "New" }, Body: { Text: { Data: "x" } } } },
      }),
    );
    const sent = (await readOutbox(inject("sesEndpoint"))).find((m) => m.to.includes(to));

    const from = await readOutbox(inject("sesEndpoint"), { since: new Date(sent?.at ?? 0) });
    const later = await readOutbox(inject("sesEndpoint"), {
      since: new Date(Date.parse(sent?.at ?? "") + 1000),
    });

    expect(from.map((m) => m.to)).toContainEqual([to]);
    expect(later.map((m) => m.to)).not.toContainEqual([to]);
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
