/**
 * The durable side of the engine comparison: the `local/sfn` runtime on SQLite in a fresh
 * temporary data directory (WAL; every step one record with its AWS history), driven through its
 * actions as a local caller drives it: StartExecution, then the end of the execution
 * (`waitForExecution`, DescribeExecution once it ended); for the task token workload, the
 * function hands its token over and the caller answers with SendTaskSuccess. Lambda tasks run
 * the handlers in-process, as `npm start` runs the saga's.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Json, JsonObject } from "../local/asl/types.ts";
import type { SfnRuntime } from "../local/sfn/index.ts";
import { APPROVAL_FUNCTION, chainFunctionName, chainHandler } from "./definitions.ts";
import type { EngineSide } from "./engines.ts";

export async function loadDurableSide(): Promise<EngineSide> {
  const { createRuntime } = await import("../local/sfn/index.ts");
  // One runtime (and data directory) per workload: the comparison runs one workload at a time.
  let current: { runtime: SfnRuntime; dataDir: string } | undefined;
  const closeCurrent = async () => {
    if (!current) return;
    await current.runtime.close();
    rmSync(current.dataDir, { recursive: true, force: true });
    current = undefined;
  };
  return {
    name: "durable",
    async prepare(key, workload) {
      await closeCurrent();
      const dataDir = mkdtempSync(join(tmpdir(), "countersign-bench-durable-"));
      const runtime = createRuntime({ dataDir });
      current = { runtime, dataDir };
      for (let i = 0; i < 10; i++) {
        const handler = chainHandler(i);
        runtime.registerFunction(chainFunctionName(i), (event) => handler(event as JsonObject));
      }
      // The approval step's function: hands the token to whoever waits for execution `id`.
      const tokenWaiters = new Map<number, (token: string) => void>();
      runtime.registerFunction(APPROVAL_FUNCTION, async (event) => {
        const { id, token } = event as { id: number; token: string };
        tokenWaiters.get(id)?.(token);
        return {};
      });
      const { stateMachineArn } = runtime.createStateMachine({
        name: `bench-${key}`,
        definition: JSON.stringify(workload.definition),
      });
      const inputText = JSON.stringify(workload.input);
      let ids = 0;

      const once = async (): Promise<string> => {
        if (key !== "taskToken") {
          const { executionArn } = await runtime.startExecution({
            stateMachineArn,
            input: inputText,
          });
          return succeeded(await runtime.waitForExecution(executionArn));
        }
        const id = ++ids;
        const token = new Promise<string>((resolve) => tokenWaiters.set(id, resolve));
        const { executionArn } = await runtime.startExecution({
          stateMachineArn,
          input: `{"id":${id}}`,
        });
        const taskToken = await token;
        tokenWaiters.delete(id);
        await runtime.sendTaskSuccess({ taskToken, output: '{"approved":true}' });
        return succeeded(await runtime.waitForExecution(executionArn));
      };
      return {
        async run() {
          await once();
        },
        async output() {
          return JSON.parse(await once()) as Json;
        },
      };
    },
    close: closeCurrent,
  };
}

/** The output text of an execution that succeeded; throws with its error otherwise. */
function succeeded(done: {
  status?: string;
  output?: string;
  error?: string;
  cause?: string;
}): string {
  if (done.status !== "SUCCEEDED") {
    throw new Error(`execution ${done.status}: ${done.error ?? ""} ${done.cause ?? ""}`);
  }
  return done.output ?? "null";
}
