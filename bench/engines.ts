/**
 * The three engines the comparison runs, behind one shape: prepare a definition once, then run
 * executions of it to completion. A side whose module is missing or broken fails to load with the
 * reason, and the bench prints `n/a` with that reason.
 */
import type { Json, StateMachineDefinition } from "../local/asl/types.ts";

export const SIDE_NAMES = ["memory", "durable", "peer"] as const;
export type SideName = (typeof SIDE_NAMES)[number];

/** One engine under test. */
export interface EngineSide {
  readonly name: SideName;
  /** Compiles/validates once; the returned function runs one execution and resolves its output. */
  prepare(definition: StateMachineDefinition): Promise<(input: Json) => Promise<Json>>;
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

/** The npm peer `aws-local-stepfunctions`: `new StateMachine(def).run(input).result`. */
async function loadPeer(): Promise<EngineSide> {
  const { StateMachine } = await import("aws-local-stepfunctions");
  return {
    name: "peer",
    async prepare(definition) {
      // biome-ignore lint/suspicious/noExplicitAny: the peer's definition type is its own ASL model.
      const machine = new StateMachine(definition as any);
      return async (input) => (await machine.run(input as never).result) as Json;
    },
    async close() {},
  };
}
