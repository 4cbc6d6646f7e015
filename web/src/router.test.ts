import { describe, expect, it } from "vitest";
import { href, parseRoute } from "./router.ts";

describe("routes", () => {
  it("opens the inbox by default", () => {
    expect(parseRoute("")).toEqual({ page: "inbox" });
    expect(parseRoute("#/")).toEqual({ page: "inbox" });
  });

  it("reads the executions filter and round-trips it", () => {
    const route = parseRoute("#/executions?status=RUNNING&q=o-42");
    expect(route).toEqual({ page: "executions", status: "RUNNING", q: "o-42" });
    expect(href(route)).toBe("#/executions?status=RUNNING&q=o-42");
  });

  it("round-trips an execution ARN with colons", () => {
    const arn = "arn:aws:states:us-east-1:000000000000:execution:OrderSaga:o-42";
    expect(parseRoute(href({ page: "execution", arn }))).toEqual({ page: "execution", arn });
  });

  it("reports unknown pages", () => {
    expect(parseRoute("#/nope")).toEqual({ page: "not-found", path: "/nope" });
  });
});
