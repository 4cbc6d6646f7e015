/**
 * The three engines the comparison runs, behind one shape: prepare a workload once, then run
 * executions of it to completion. A side whose module is missing or broken fails to load with the
 * reason, and the bench prints `n/a` with that reason. Each side runs in its own process
 * (`engine-worker.ts`), so one side's heap, JIT state and garbage never weigh on another's.
 */
import type { RunOptions } from "aws-local-stepfunctions";
import type { Json, JsonObject } from "../local/asl/types.ts";
import { chainHandler } from "./definitions.ts";
import type { SideName, WorkloadInput, WorkloadKey } from "./engine-plan.ts";

/** A workload prepared on one side. */
export interface PreparedWorkload {
  /** Runs one execution to its end; rejects unless it succeeded. */
  run(): Promise<void>;
  /** Runs one execution and resolves its output (checked against the peer's). */
  output(): Promise<Json>;
}

/** One engine under test. */
export interface EngineSide {
  readonly name: SideName;
  /** Compiles/creates once; throws when the side cannot run the workload. */
  prepare(key: WorkloadKey, workload: WorkloadInput): Promise<PreparedWorkload>;
  close(): Promise<void>;
}

/** Loads one side. Throws with a reason when the side cannot run here. */
export async function loadSide(name: SideName): Promise<EngineSide> {
  switch (name) {
    case "peer":
      return loadPeer();
    case "memory":
      return (await import("./engine-memory.ts")).loadMemorySide();
    case "durable":
      return (await import("./engine-durable.ts")).loadDurableSide();
  }
}

/**
 * The npm peer `aws-local-stepfunctions`: `new StateMachine(def).run(input, options).result`,
 * Lambda tasks answered by its `taskResourceLocalHandlers` (by state name).
 */
async function loadPeer(): Promise<EngineSide> {
  // Its Task states call `Promise.withResolvers` (Node 22+); this process may run on Node 20.
  const P = Promise as unknown as { withResolvers?: () => unknown };
  P.withResolvers ??= () => {
    let resolve!: (value: unknown) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
  const { StateMachine } = await import("aws-local-stepfunctions");
  return {
    name: "peer",
    async prepare(key, workload) {
      if (key === "taskToken") throw new Error("the peer has no task tokens");
      const machine = new StateMachine(
        workload.definition as unknown as ConstructorParameters<typeof StateMachine>[0],
      );
      const handlers: Record<string, (input: unknown) => Promise<JsonObject>> = {};
      if (key === "lambdaChain") {
        for (const state of Object.keys(workload.definition.States ?? {})) {
          const handler = chainHandler(Number(state.slice("Step".length)));
          handlers[state] = (input) => handler(input as JsonObject);
        }
      }
      const options: RunOptions = { overrides: { taskResourceLocalHandlers: handlers } };
      const input = workload.input as never;
      const once = async () => (await machine.run(input, options).result) as Json;
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
