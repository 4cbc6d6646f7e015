/**
 * The local outbox's file: a mail is kept in memory even when its write fails (a full disk, a path
 * that is no longer writable), the failure is reported, not thrown, and the next write saves what
 * was missed; and on start the file keeps every mail unless told to keep fewer.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { afterAll, describe, expect, it } from "vitest";
import { startSesLocal } from "./ses-local.ts";

const dir = mkdtempSync(join(tmpdir(), "outbox-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stored = (n: number) =>
  JSON.stringify({
    messageId: `old-${n}`,
    from: "a@countersign.local",
    destination: { to: ["b@example.test"], cc: [], bcc: [] },
    subject: `old ${n}`,
    body: { text: "t" },
    at: 1_700_000_000 + n,
  });

describe("the outbox file", () => {
  it("keeps every mail by default, survives a failed write and saves the missed mail later", async () => {
    const file = join(dir, "outbox.jsonl");
    writeFileSync(file, `${Array.from({ length: 1500 }, (_, i) => stored(i)).join("\n")}\n`);
    const errors: string[] = [];
    const ses = await startSesLocal({ outboxFile: file, onError: (m) => errors.push(m) });
    const client = new SESv2Client({
      endpoint: ses.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "t", secretAccessKey: "t" },
    });
    const send = (subject: string) =>
      client.send(
        new SendEmailCommand({
          FromEmailAddress: "a@countersign.local",
          Destination: { ToAddresses: ["b@example.test"] },
          Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: "x" } } } },
        }),
      );
    try {
      expect(await ses.outbox()).toHaveLength(1500);

      rmSync(file);
      mkdirSync(file); // appending to a directory fails, as a full disk would
      await send("during the outage");
      expect((await ses.outbox()).map((m) => m.subject)).toContain("during the outage");
      expect(errors.join("\n")).toMatch(/could not be written.*retried/);

      rmdirSync(file);
      await send("after it");
      const lines = readFileSync(file, "utf8").trim().split("\n");
      expect(lines.map((l) => JSON.parse(l).subject)).toEqual(["during the outage", "after it"]);
    } finally {
      client.destroy();
      await ses.stop();
    }
  });
});
