import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { frontHandler } from "./front.ts";

const web = mkdtempSync(join(tmpdir(), "web-dist-"));
mkdirSync(join(web, "assets"));
writeFileSync(join(web, "index.html"), "<!doctype html><title>dashboard</title>");
writeFileSync(join(web, "assets", "app.js"), "console.log(1)");
afterAll(() => rmSync(web, { recursive: true, force: true }));

const REQUIRED = [
  "content-security-policy",
  "x-frame-options",
  "x-content-type-options",
  "referrer-policy",
];
const get = (handler: (r: Request) => Promise<Response>, path: string) =>
  handler(new Request(`http://127.0.0.1:8787${path}`));

describe("the local front handler (dashboard files beside the API)", () => {
  const api = frontHandler(web, () => new Response("api", { status: 200 }));
  const broken = frontHandler(web, () => {
    throw new Error("a bug");
  });

  it("answers a malformed path with 400, not a crash", async () => {
    for (const path of ["/%", "/assets/%E0%A4%A", "/%zz/x"]) {
      expect((await get(api, path)).status, path).toBe(400);
    }
  });

  it("puts the security headers on files, fallbacks and errors alike", async () => {
    const responses = {
      file: await get(api, "/assets/app.js"),
      fallback: await get(api, "/orders/ord-1"),
      malformed: await get(api, "/%"),
      failure: await get(broken, "/api/orders"),
    };
    expect(Object.values(responses).map((r) => r.status)).toEqual([200, 200, 400, 500]);
    for (const [name, res] of Object.entries(responses)) {
      for (const header of REQUIRED)
        expect(res.headers.get(header), `${name}: ${header}`).toBeTruthy();
    }
    expect(await responses.fallback.text()).toContain("dashboard");
  });

  it("leaves the API's prefixes to the API", async () => {
    expect(await (await get(api, "/api/config")).text()).toBe("api");
    expect(await (await get(api, "/approvals/a1")).text()).toBe("api");
  });
});
