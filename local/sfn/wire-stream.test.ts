/**
 * A list written in pieces is the very JSON the one-piece answer would be (dates as epoch
 * seconds, the other members after the list), over real HTTP, whether or not more members follow.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sendList, wireJson } from "./wire-stream.ts";

let body: Record<string, unknown> = {};
let url = "";
const server = createServer((_req, res) => {
  void sendList(res, body, "events", { "Content-Type": "application/x-amz-json-1.0" });
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const events = Array.from({ length: 600 }, (_, i) => ({
  id: i + 1,
  timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1001),
  type: "PassStateEntered",
  stateEnteredEventDetails: { name: "P", input: `{"pad":"${'x"\\\n'.repeat(300)}${i}"}` },
}));

it.each([
  ["with a nextToken after the list", { events, nextToken: "abc" }],
  ["with the list alone", { events }],
  ["with an empty list", { events: [] }],
])("answers %s as one-piece JSON would, in pieces", async (_name, b) => {
  body = b;
  const res = await fetch(url);
  expect(res.headers.get("transfer-encoding")).toBe("chunked");
  const text = await res.text();
  expect(text).toBe(wireJson(b));
  const parsed = JSON.parse(text) as { events: Array<{ timestamp: number }> };
  if (b.events.length > 0)
    expect(parsed.events[1]?.timestamp).toBe(Date.UTC(2026, 0, 1) / 1000 + 1.001);
});
