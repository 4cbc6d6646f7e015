/**
 * The durable side of the engine comparison: the `local/sfn` runtime with its SQLite log on.
 */
import type { EngineSide } from "./engines.ts";

export async function loadDurableSide(): Promise<EngineSide> {
  throw new Error("local/sfn/index.ts (runtime helper H7) not written yet");
}
