/**
 * The Countersign ASL engine, its only public surface. Compile a definition once, then drive it
 * step by step (`start`, `advance`: pure and deterministic). The runtime (`local/sfn`) is what
 * drives it, durably or in memory; `isAwaiting` tells it whether an event would still apply.
 */
import { compileDefinition } from "./compile.ts";
import { advanceExecution, startExecution } from "./engine.ts";
import type { CompiledMachine } from "./model.ts";
import type { Snapshot } from "./snapshot.ts";
import type {
  CompileOptions,
  EngineEvent,
  EngineServices,
  StartParams,
  StepResult,
} from "./types.ts";

export { DefinitionError, StatesError } from "./errors.ts";
export {
  awsWarnings,
  type LintOptions,
  type LintReport,
  lintDefinition,
  lintReport,
} from "./lint/index.ts";
export type { CompiledMachine } from "./model.ts";
export { TestStateRejected, testState } from "./test-state/index.ts";
export type * from "./test-state/types.ts";
export type * from "./types.ts";

/** The engine's opaque, in-memory execution state; rebuild it by replaying events. */
export type EngineSnapshot = Snapshot;

/**
 * Validates and compiles a definition (object or JSON text).
 * @throws DefinitionError with AWS-shaped diagnostics naming the state and field.
 */
export function compile(definition: unknown, options?: CompileOptions): CompiledMachine {
  return compileDefinition(definition, options);
}

/** Starts an execution: returns ExecutionStarted and everything up to the first wait. */
export function start(
  machine: CompiledMachine,
  params: StartParams,
  services: EngineServices,
): Promise<StepResult<EngineSnapshot>> {
  return startExecution(machine, params, services);
}

/**
 * Applies one event to a running execution. The snapshot is updated in place and returned;
 * events with unknown or stale ids change nothing.
 */
export function advance(
  machine: CompiledMachine,
  snapshot: EngineSnapshot,
  event: EngineEvent,
  services: EngineServices,
): Promise<StepResult<EngineSnapshot>> {
  return advanceExecution(machine, snapshot, event, services);
}

/**
 * Whether a running execution still waits for the task or timer `id`: an event for it would be
 * applied (a finished, cancelled or unknown id would change nothing).
 */
export function isAwaiting(snapshot: EngineSnapshot, id: string): boolean {
  if (snapshot.status !== "RUNNING") return false;
  const waiter = snapshot.waiters.get(id);
  return waiter !== undefined && !waiter.frame.done;
}
