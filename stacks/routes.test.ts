/**
 * The router's split of the shared origin against the code on both sides of it: every route the
 * Hono app declares must reach it through the router, and the dashboard's dev proxy must forward
 * the same prefixes so local and deployed behave alike.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_ROUTES, isApiRoute } from "./topology.ts";

const root = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

describe("API route prefixes", () => {
  it("cover every route the approval API declares", () => {
    const routes = sources(path.join(root, "functions/api")).flatMap((file) =>
      [
        ...readFileSync(file, "utf8").matchAll(
          /\.(?:get|post|put|patch|delete|all|on)\(\s*"(\/[^"]*)"/g,
        ),
      ].map((m) => m[1]!),
    );
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.filter((r) => !isApiRoute(r))).toEqual([]);
  });

  it("are what the dashboard's dev server proxies to the API", () => {
    const config = readFileSync(path.join(root, "web/vite.config.ts"), "utf8");
    const proxy = config.slice(config.indexOf("proxy:"));
    const proxied = [...proxy.matchAll(/"(\/[a-z]+)":/g)].map((m) => m[1]);
    expect(proxied.sort()).toEqual([...API_ROUTES.prefixes].sort());
  });

  it("match whole path segments only", () => {
    expect(isApiRoute("/api/session")).toBe(true);
    expect(isApiRoute("/approvals/a-1")).toBe(true);
    expect(isApiRoute("/apix")).toBe(false);
    expect(isApiRoute("/")).toBe(false);
  });
});
