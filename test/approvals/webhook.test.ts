/**
 * The webhook channel against a real HTTP receiver on 127.0.0.1: one signed POST per request
 * (a retried task invocation does not post again), whose signature checks with the webhook key,
 * carrying the title, the summary and a read-only signed link — and no task token anywhere, nor
 * an approver's decision link.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Signer, type WebhookBody } from "../../functions/approvals/index.ts";
import { people, SIGNING_KEY } from "./harness.ts";
import { type World, world } from "./runtime.ts";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let receiver: Server;
let received: Received[];
let w: World;

beforeAll(async () => {
  received = [];
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, "127.0.0.1", ok));
  const { port } = receiver.address() as { port: number };
  w = await world({ settings: { webhookUrl: `http://127.0.0.1:${port}/hooks/approvals` } });
});
afterAll(async () => {
  await w.close();
  await new Promise((ok) => receiver.close(ok));
});

describe("the webhook channel", () => {
  it("sees one signed POST per request, with title, summary and a read-only link, and no task token", async () => {
    const who = people();
    const summary = [{ type: "money", label: "Amount", amount: 99.5, currency: "EUR" }];
    await w.start({ title: "Team lunch", summary, requester: who.requester, approvers: [who.a] });
    await w.start({ title: "New monitor", requester: who.requester, approvers: [who.a] });
    // A retried invocation of the same task finds its record and announces nothing again.
    const first = received.length;
    expect(first).toBe(2);
    const token = w.tokens[0] as string;
    await w.api.approvals.request({
      taskToken: token,
      title: "Team lunch",
      summary,
      requester: who.requester,
      approvers: [who.a],
    });
    expect(received).toHaveLength(2);

    const key = new Signer(SIGNING_KEY).webhookKeyHex();
    for (const r of received) {
      const ts = r.headers["x-countersign-timestamp"] as string;
      const mac = createHmac("sha256", Buffer.from(key, "hex"))
        .update(`${ts}.${r.body}`)
        .digest("hex");
      expect(r.headers["x-countersign-signature"]).toBe(`sha256=${mac}`);
      expect(r.headers["content-type"]).toBe("application/json");
      for (const t of w.tokens) {
        expect(r.body).not.toContain(t);
        expect(JSON.stringify(r.headers)).not.toContain(t);
      }
    }
    const lunch = JSON.parse(received[0]?.body as string) as WebhookBody;
    expect(lunch).toMatchObject({
      type: "approval.requested",
      title: "Team lunch",
      summary,
      approvers: [who.a],
    });
    // The link shows the request and decides nothing: no form, and its claim is no approver.
    const page = await fetch(lunch.link);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("Team lunch");
    expect(html).not.toContain('name="decision"');
    const post = await fetch(lunch.link.split("?")[0] as string, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "same-origin",
      },
      body: new URLSearchParams({
        sig: new URL(lunch.link).searchParams.get("sig") ?? "",
        decision: "approve",
      }),
    });
    expect(post.status).toBe(403);
  });
});
