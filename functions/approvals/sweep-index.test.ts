import { describe, expect, it } from "vitest";
import { sweepKey } from "./sweep-index.ts";

describe("sweep index keys", () => {
  it("sort as the times they hold, past the year 9999 too", () => {
    const times = [
      "1970-01-01T00:00:00.000Z",
      "2026-01-01T00:00:00.000Z",
      "2026-01-01T00:00:00.001Z",
      "9999-12-31T23:59:59.999Z",
      new Date(8.64e15).toISOString(), // "+275760-09-13…", the last date there is
    ];
    const keys = times.map((t) => sweepKey(t, "id"));
    expect([...keys].sort()).toEqual(keys);
    // The ISO form itself does not: "+275760-…" sorts before "2026-…".
    expect([...times].sort()).not.toEqual(times);
  });

  it("refuses what is not a time", () => {
    expect(() => sweepKey("soon", "id")).toThrow(RangeError);
  });
});
