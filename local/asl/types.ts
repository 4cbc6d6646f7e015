/**
 * The contract of the Countersign ASL engine: the shapes that cross the boundary between the pure
 * core (`local/asl`) and the runtime shell (`local/sfn`, the conformance runner, the CLI, benches).
 *
 * The core is deterministic: given a compiled machine, a snapshot and an event it always returns the
 * same snapshot, history events and commands. It never reads the clock, randomness or the network:
 * time arrives on events (`at`), randomness comes from the seed given at start, task tokens are
 * minted by an injected deterministic function. That is what lets the durable runtime rebuild any
 * execution by replaying its recorded engine events (Temporal-style replay), and lets tests jump a
 * virtual clock forward.
 */

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
export type StateMachineType = "STANDARD" | "EXPRESS";
export type QueryLanguage = "JSONPath" | "JSONata";

/** A raw ASL document as parsed from JSON; validated by `compile`. */
export type StateMachineDefinition = JsonObject & { StartAt?: string; States?: JsonObject };

/**
 * One AWS-shaped history event, as `GetExecutionHistory` returns it (timestamps in epoch ms here;
 * the wire API converts). Details sit under AWS's key for the type, e.g.
 * `stateEnteredEventDetails: { name, input }`, `taskScheduledEventDetails: { resource, resourceType,
 * region, parameters, timeoutInSeconds?, heartbeatInSeconds? }`, `executionFailedEventDetails:
 * { error, cause }`, `mapIterationStartedEventDetails: { name, index }`.
 * `input`/`output`/`parameters` in details are JSON *strings*, as on AWS.
 */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** What the runtime must do for the engine. Ids are unique within one execution. */
export type Command =
  | {
      kind: "task";
      /** Correlates the later taskSucceeded/taskFailed/taskHeartbeat event. */
      id: string;
      stateName: string;
      /** The Task state's Resource ARN, e.g. `arn:aws:states:::lambda:invoke.waitForTaskToken`. */
      resource: string;
      /** The effective request (after Parameters / Arguments evaluation). */
      input: Json;
      /** Set for `.waitForTaskToken`: the runtime maps it back to (execution, id). */
      taskToken?: string;
      timeoutSeconds?: number;
      heartbeatSeconds?: number;
    }
  /** Fire `timerFired` with this id at `at` (epoch ms). Firing a timer the engine no longer cares
   * about is harmless: the engine ignores unknown or stale ids. */
  | { kind: "timer"; id: string; at: number }
  | { kind: "cancelTimer"; id: string }
  /** The task is no longer awaited (timed out, branch cancelled, execution stopped); a later
   * SendTask* with its token must get TaskTimedOut / TaskDoesNotExist. */
  | { kind: "cancelTask"; id: string };

/** What happened, fed back into the engine by the runtime. `at` is epoch ms. */
export type EngineEvent =
  | { type: "taskSucceeded"; id: string; output: Json; at: number }
  /** `error`/`cause` null: the failure named none (SendTaskFailure without them). */
  | { type: "taskFailed"; id: string; error: string | null; cause?: string | null; at: number }
  | { type: "taskHeartbeat"; id: string; at: number }
  /** The service call of a `.waitForTaskToken` or `.sync` task returned (TaskSubmitted). */
  | { type: "taskSubmitted"; id: string; output: Json; at: number }
  /** A worker took the activity task (ActivityStarted); it counts as a heartbeat. */
  | { type: "taskStarted"; id: string; workerName?: string; at: number }
  | { type: "timerFired"; id: string; at: number }
  | { type: "stop"; error?: string; cause?: string; at: number }
  /**
   * RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution goes on from where it stopped
   * (ExecutionRedriven, then the unsuccessful states again; `redrive.ts`). Ignored otherwise.
   */
  | {
      type: "redrive";
      at: number;
      /**
       * Run again from the first state with the execution's input instead: how a redriven Map Run
       * reruns an EXPRESS child (AWS starts it anew under the same ARN).
       */
      fromStart?: boolean;
    };

export interface StartParams {
  executionArn: string;
  stateMachineArn: string;
  /** Execution name ($$.Execution.Name). */
  name: string;
  input: Json;
  /** Epoch ms. */
  startTime: number;
  /** Seeds the deterministic PRNG (States.UUID, $uuid(), $random(), retry jitter). */
  seed: string;
  roleArn?: string;
  /** Extra context-object fields ($$.StateMachine.Name etc. are derived from the ARNs). */
  redriveCount?: number;
  /** Build history events (default true). In-memory runs that only want the result turn this off;
   * event ids are still counted, so causes that cite them read the same. */
  recordHistory?: boolean;
  /** Fail the execution (`States.Runtime`) once its history would pass this many events; AWS's
   * quota for STANDARD executions is 25,000. Default 1,000,000 (a guard against endless loops). */
  maxHistoryEvents?: number;
}

/** Services the pure core needs but must not implement itself. All must be deterministic. */
export interface EngineServices {
  /** A task token for the task with this id in this execution (same answer on replay). */
  mintTaskToken(executionArn: string, taskId: string): string;
}

export interface CompileOptions {
  type?: StateMachineType;
  /** Answers whether a Task Resource can be run; unknown resources are definition errors. When
   * omitted, every resource is accepted (the conformance corpus has no tasks). */
  isKnownResource?: (resource: string) => boolean;
  /** Says why an unknown resource cannot run (e.g. the SDK client package to install). */
  unknownResourceReason?: (resource: string) => string | undefined;
}

/**
 * The result of one engine step. `snapshot` is opaque to callers and owned by the engine: `advance`
 * may mutate it in place and returns it (for speed); keep the returned value.
 */
export interface StepResult<S = unknown> {
  snapshot: S;
  /** New history events produced by this step, in AWS's order, ids continuing the execution's. */
  history: HistoryEvent[];
  /** New work for the runtime, in order. */
  commands: Command[];
  status: ExecutionStatus;
  /** When SUCCEEDED. */
  output?: Json;
  /** When FAILED / TIMED_OUT / ABORTED. */
  error?: string;
  cause?: string;
}

/** A finished run (local/sfn's `runToCompletion` adds its end time). */
export type RunResult =
  | { status: "SUCCEEDED"; output: Json; history: HistoryEvent[] }
  | {
      status: "FAILED" | "TIMED_OUT" | "ABORTED";
      error?: string;
      cause?: string;
      history: HistoryEvent[];
    };

/** AWS ValidateStateMachineDefinition's diagnostic shape. */
export interface Diagnostic {
  severity: "ERROR" | "WARNING";
  /** e.g. SCHEMA_VALIDATION_FAILED, INVALID_JSON_DESCRIPTION, MISSING_TRANSITION_TARGET. */
  code: string;
  /** AWS's words where AWS's are known (the API answers with them verbatim). */
  message: string;
  /** JSON pointer into the definition, e.g. `/States/Charge/Retry/0/ErrorEquals`. */
  location?: string;
  /** How to fix it, where `message` (AWS's words) does not say; shown by the CLI. */
  hint?: string;
}
