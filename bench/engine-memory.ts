/**
 * The in-memory side of the engine comparison: `runToCompletion` from `local/sfn` (the runtime's
 * executor with an in-memory store and a virtual clock) on a definition compiled once, history
 * kept as by default. Lambda tasks go to the same handlers through its `invoke` option.
 */
import type { Json, JsonObject } from "../local/asl/types.ts";
import { chainFunctionName, chainHandler } from "./definitions.ts";
import type { EngineSide } from "./engines.ts";

export async function loadMemorySide(): Promise<EngineSide> {
  const { compile } = await import("../local/asl/index.ts");
  const { runToCompletion } = await import("../local/sfn/index.ts");
  return {
    name: "memory",
    async prepare(key, workload) {
      if (key === "taskToken") throw new Error("runToCompletion has no task tokens to answer");
      const machine = compile(workload.definition);
      const byResource = new Map<string, (event: JsonObject) => Promise<JsonObject>>();
      for (let i = 0; i < 10; i++) {
        const arn = `arn:aws:lambda:us-east-1:123456789012:function:${chainFunctionName(i)}`;
        byResource.set(arn, chainHandler(i));
      }
      const options = {
        invoke: async (cmd: { resource: string; input: Json }) => {
          const handler = byResource.get(cmd.resource);
          if (!handler) return { error: "Lambda.ResourceNotFoundException", cause: cmd.resource };
          return { output: await handler(cmd.input as JsonObject) };
        },
      };
      const input = workload.input;
      const once = async (): Promise<Json> => {
        const result = await runToCompletion(machine, input, options);
        if (result.status !== "SUCCEEDED") {
          throw new Error(
            `execution ${result.status}: ${result.error ?? ""} ${result.cause ?? ""}`,
          );
        }
        return result.output;
      };
      return {
        async run() {
          await once();
        },
        output: once,
      };
    },
    async close() {},
  };
}
