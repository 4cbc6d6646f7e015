/**
 * The in-memory side of the engine comparison: `runInMemory` from `local/asl` (no log, no store).
 */
import type { EngineSide } from "./engines.ts";

export async function loadMemorySide(): Promise<EngineSide> {
  throw new Error("local/asl/index.ts (engine helper H1) not written yet");
}
