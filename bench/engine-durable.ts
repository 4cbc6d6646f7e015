/**
 * The durable side of the engine comparison: the `local/sfn` runtime with its SQLite log on disk
 * (WAL, in a fresh temporary data directory), driven through its StartExecution action and
 * waiting for the end of each execution, as a local caller would.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Json } from "../local/asl/types.ts";
import type { EngineSide } from "./engines.ts";

export async function loadDurableSide(): Promise<EngineSide> {
  const { createRuntime } = await import("../local/sfn/index.ts");
  const dataDir = mkdtempSync(join(tmpdir(), "countersign-bench-durable-"));
  const runtime = createRuntime({ dataDir });
  let machines = 0;
  return {
    name: "durable",
    async prepare(definition) {
      const { stateMachineArn } = runtime.createStateMachine({
        name: `bench-${++machines}`,
        definition: JSON.stringify(definition),
      });
      return async (input) => {
        const { executionArn } = await runtime.startExecution({
          stateMachineArn,
          input: JSON.stringify(input),
        });
        const done = await runtime.waitForExecution(executionArn);
        if (done.status !== "SUCCEEDED") {
          throw new Error(`execution ${done.status}: ${done.error ?? ""} ${done.cause ?? ""}`);
        }
        return JSON.parse(done.output ?? "null") as Json;
      };
    },
    async close() {
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
