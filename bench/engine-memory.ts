/**
 * The in-memory side of the engine comparison: `runToCompletion` from `local/sfn` (the runtime's
 * executor with an in-memory store and a virtual clock) on a definition compiled once, history
 * kept as by default.
 */
import type { EngineSide } from "./engines.ts";

export async function loadMemorySide(): Promise<EngineSide> {
  const { compile } = await import("../local/asl/index.ts");
  const { runToCompletion } = await import("../local/sfn/index.ts");
  return {
    name: "memory",
    async prepare(definition) {
      const machine = compile(definition);
      return async (input) => {
        const result = await runToCompletion(machine, input);
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
