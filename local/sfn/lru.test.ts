import { describe, expect, it } from "vitest";
import { Lru } from "./lru.ts";

describe("Lru", () => {
  it("evicts the least recently used entry once full", () => {
    const evicted: string[] = [];
    const lru = new Lru<string, number>(2, (key) => evicted.push(key));
    lru.set("a", 1);
    lru.set("b", 2);
    lru.get("a"); // a is now the most recent
    lru.set("c", 3);

    expect([...lru.keys()]).toEqual(["a", "c"]);
    expect(evicted).toEqual(["b"]);
    expect(lru.get("b")).toBeUndefined();
  });

  it("peek leaves the order alone; set of a known key refreshes it", () => {
    const lru = new Lru<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.peek("a")).toBe(1);
    lru.set("c", 3);
    expect(lru.has("a")).toBe(false);

    lru.set("b", 20);
    lru.set("d", 4);
    expect([...lru.keys()]).toEqual(["b", "d"]);
    expect(lru.get("b")).toBe(20);
  });

  it("keeps nothing with capacity 0 and rejects a negative or fractional capacity", () => {
    const lru = new Lru<string, number>(0);
    lru.set("a", 1);
    expect(lru.size).toBe(0);
    expect(() => new Lru(-1)).toThrow(RangeError);
    expect(() => new Lru(1.5)).toThrow(RangeError);
  });

  it("delete and clear do not report evictions", () => {
    const evicted: string[] = [];
    const lru = new Lru<string, number>(3, (key) => evicted.push(key));
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.delete("a")).toBe(true);
    lru.clear();
    expect(lru.size).toBe(0);
    expect(evicted).toEqual([]);
  });
});
