/**
 * The Countersign ASL engine, its only public surface. Compile a definition once, then either
 * drive it step by step (`start`, `advance`: pure and deterministic, for the durable runtime) or
 * run it to completion in memory on a virtual clock (`runInMemory`).
 */
import { compileDefinition } from "./compile.ts";
import { advanceExecution, startExecution } from "./engine.ts";
import type { CompiledMachine } from "./model.ts";
import type { Snapshot } from "./runtime.ts";
import type {
  CompileOptions,
  EngineEvent,
  EngineServices,
  StartParams,
  StepResult,
} from "./types.ts";

export {
  type CaseVerdict,
  type CorpusCase,
  jsonEqual,
  judgeCase,
  loadCases,
} from "./corpus.ts";
export { DefinitionError, StatesError } from "./errors.ts";
export {
  awsWarnings,
  type LintOptions,
  type LintReport,
  lintDefinition,
  lintReport,
} from "./lint/index.ts";
export type { CompiledMachine } from "./model.ts";
export {
  type InMemoryResult,
  type RunOptions,
  runInMemory,
  type TaskAnswer,
  type TaskCommand,
} from "./run-to-completion.ts";
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
