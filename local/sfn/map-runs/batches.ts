/**
 * From items to the inputs of a Map Run's child executions: ItemSelector on each item, then, with
 * an ItemBatcher, batches of at most MaxItemsPerBatch items and MaxInputBytesPerBatch bytes, each
 * `{"BatchInput": ..., "Items": [...]}` (BatchInput only when the state sets one). Per
 * "ItemBatcher (Map)" (docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html).
 */
import type { ItemSelectorFn, Json, MapRunPlan } from "../../asl/index.ts";
import type { ChildInput } from "./store.ts";

/** A child input larger than Step Functions' 256 KiB payload limit. */
const PAYLOAD_LIMIT = 256 * 1024;

export class BatchError extends Error {
  override name = "BatchError";
}

/** The inputs of the children, in item order. */
export async function childInputs(
  items: Json[],
  select: ItemSelectorFn,
  batcher: MapRunPlan["batcher"],
): Promise<ChildInput[]> {
  const selected: Json[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const v = select(i, items[i] as Json);
    selected[i] = v instanceof Promise ? await v : v;
  }
  if (!batcher) return selected.map((v) => ({ text: JSON.stringify(v), items: 1 }));
  const maxItems =
    batcher.maxItemsPerBatch && batcher.maxItemsPerBatch > 0 ? batcher.maxItemsPerBatch : Infinity;
  const maxBytes = Math.min(
    batcher.maxInputBytesPerBatch && batcher.maxInputBytesPerBatch > 0
      ? batcher.maxInputBytesPerBatch
      : PAYLOAD_LIMIT,
    PAYLOAD_LIMIT,
  );
  const head =
    batcher.batchInput === undefined
      ? '{"Items":['
      : `{"BatchInput":${JSON.stringify(batcher.batchInput)},"Items":[`;
  const out: ChildInput[] = [];
  let parts: string[] = [];
  let bytes = Buffer.byteLength(head) + 2;
  const flush = () => {
    if (parts.length === 0) return;
    out.push({ text: `${head}${parts.join(",")}]}`, items: parts.length });
    parts = [];
    bytes = Buffer.byteLength(head) + 2;
  };
  for (const v of selected) {
    const t = JSON.stringify(v);
    const size = Buffer.byteLength(t) + (parts.length > 0 ? 1 : 0);
    if (parts.length > 0 && (parts.length >= maxItems || bytes + size > maxBytes)) flush();
    const own = Buffer.byteLength(t);
    if (Buffer.byteLength(head) + 2 + own > maxBytes) {
      throw new BatchError(
        `An item of ${own} bytes does not fit in a batch of at most ${maxBytes} bytes (MaxInputBytesPerBatch)`,
      );
    }
    bytes += parts.length > 0 ? own + 1 : own;
    parts.push(t);
  }
  flush();
  return out;
}
