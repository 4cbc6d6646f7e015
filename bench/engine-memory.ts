/**
 * The in-memory side of the engine comparison: `runInMemory` from `local/asl` on a definition
 * compiled once (no store, history kept as by default).
 */
import type { EngineSide } from "./engines.ts";

export async function loadMemorySide(): Promise<EngineSide> {
  const { compile, runInMemory } = await import("../local/asl/index.ts");
  return {
    name: "memory",
    async prepare(definition) {
      const machine = compile(definition);
      return async (input) => {
        const result = await runInMemory(machine, input);
        if (result.status !== "SUCCEEDED") {
          throw new Error(
            `execution ${result.status}: ${result.error ?? ""} ${result.cause ?? ""}`,
          );
        }
        return result.output;
      };
    },
    async close() {},
  };
}
