import { describe, expect, it } from "vitest";
import { median, percentile, rotate } from "./stats.ts";

describe("bench statistics", () => {
  it("takes the median and nearest-rank percentiles", () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i);

    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile(samples, 50)).toBe(100);
    expect(percentile(samples, 99)).toBe(198);
    expect(percentile([7], 99)).toBe(7);
  });

  it("rejects an empty sample set with a message saying what to do", () => {
    expect(() => median([])).toThrow(/at least one/);
  });

  it("rotates the order of sides from round to round", () => {
    expect(rotate(["a", "b", "c"], 1)).toEqual(["b", "c", "a"]);
    expect(rotate(["a", "b", "c"], 3)).toEqual(["a", "b", "c"]);
  });
});
