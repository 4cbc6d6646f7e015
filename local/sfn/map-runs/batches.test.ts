/**
 * ItemBatcher: children's inputs from items, by MaxItemsPerBatch and MaxInputBytesPerBatch (the
 * size of the whole batch input as JSON), with BatchInput, and an item that fits no batch refused.
 */
import { describe, expect, it } from "vitest";
import { BatchError, childInputs } from "./batches.ts";

const same = (_i: number, v: unknown) => v as never;
const items = Array.from({ length: 7 }, (_, i) => ({ n: i }));

describe("childInputs", () => {
  it("one child per item without a batcher", async () => {
    const out = await childInputs(items.slice(0, 2), same, undefined);
    expect(out).toEqual([
      { text: '{"n":0}', items: 1 },
      { text: '{"n":1}', items: 1 },
    ]);
  });

  it("batches of MaxItemsPerBatch, the last one shorter, each with BatchInput", async () => {
    const out = await childInputs(items, same, { maxItemsPerBatch: 3, batchInput: { run: "r1" } });
    expect(out.map((c) => c.items)).toEqual([3, 3, 1]);
    expect(JSON.parse(out[2]?.text ?? "")).toEqual({
      BatchInput: { run: "r1" },
      Items: [{ n: 6 }],
    });
  });

  it("MaxInputBytesPerBatch bounds the batch input's JSON size", async () => {
    // {"Items":[...]} is 12 bytes around the items; each {"n":i} is 7 bytes, plus a comma between.
    const out = await childInputs(items, same, { maxInputBytesPerBatch: 12 + 7 * 2 + 1 });
    expect(out.map((c) => c.items)).toEqual([2, 2, 2, 1]);
    for (const c of out) expect(Buffer.byteLength(c.text)).toBeLessThanOrEqual(27);
  });

  it("an item larger than MaxInputBytesPerBatch is refused, naming the setting", async () => {
    await expect(
      childInputs([{ big: "x".repeat(100) }], same, { maxInputBytesPerBatch: 50 }),
    ).rejects.toThrow(
      new BatchError(
        "An item of 110 bytes does not fit in a batch of at most 50 bytes (MaxInputBytesPerBatch)",
      ),
    );
  });
});
