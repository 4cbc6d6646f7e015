/**
 * The compiled form of a state machine: every path, template and JSONata expression parsed once,
 * so running a state only evaluates. Internal to the engine (index.ts exposes it opaquely).
 */
import type { CompiledJsonata } from "./paths/jsonata.ts";
import type { CompiledPath } from "./paths/jsonpath.ts";
import type { CompiledTemplate } from "./paths/payload-template.ts";
import type { Json, JsonObject, QueryLanguage, StateMachineType } from "./types.ts";

export type StateType =
  | "Pass"
  | "Task"
  | "Choice"
  | "Wait"
  | "Succeed"
  | "Fail"
  | "Map"
  | "Parallel";

/** A number given literally, by path (JSONPath) or by expression (JSONata). */
export type NumberSource =
  | { kind: "literal"; value: number; field: string }
  | { kind: "path"; path: CompiledPath; field: string }
  | { kind: "jsonata"; expr: CompiledJsonata; field: string };

/** A string given literally, by path or by expression (Fail's Error/Cause). */
export type StringSource =
  | { kind: "literal"; value: string }
  | { kind: "path"; path: CompiledPath; intrinsic?: CompiledTemplate; field: string }
  | { kind: "jsonata"; expr: CompiledJsonata; field: string };

export interface CompiledRetrier {
  errorEquals: string[];
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds?: number;
  jitter: "FULL" | "NONE";
}

export interface CompiledCatcher {
  errorEquals: string[];
  next: string;
  resultPath?: (string | number)[] | null;
  /** `"key":` when ResultPath is one plain top-level field (lets history text grow in place). */
  resultKeyText?: string;
  output?: CompiledJsonata;
  assign?: Assigner;
}

/** Evaluates an Assign block to the variables it sets. */
export type Assigner =
  | { ql: "JSONPath"; template: CompiledTemplate }
  | { ql: "JSONata"; template: CompiledJsonata };

/** A compiled Choice rule (JSONPath) or Condition (JSONata). */
export type ChoiceTest =
  | { kind: "jsonpath"; test: (scope: import("./paths/jsonpath.ts").PathScope) => boolean }
  | { kind: "jsonata"; expr: CompiledJsonata };

export interface CompiledChoice {
  test: ChoiceTest;
  next: string;
  assign?: Assigner;
  output?: CompiledJsonata;
}

export interface CompiledState {
  name: string;
  type: StateType;
  /** History event types, precomputed (`PassStateEntered`, ...). */
  enteredEvent: string;
  exitedEvent: string;
  ql: QueryLanguage;
  raw: JsonObject;
  next?: string;
  /** The state `next` names, resolved once (a transition then needs no lookup). */
  nextState?: CompiledState;
  end: boolean;
  /** InputPath: undefined = `$`, null = `{}`. */
  inputPath?: CompiledPath | null;
  parameters?: CompiledTemplate;
  resultSelector?: CompiledTemplate;
  /** ResultPath steps: undefined = `$`, null = discard the result. */
  resultPath?: (string | number)[] | null;
  /** `"key":` when ResultPath is one plain top-level field (lets history text grow in place). */
  resultKeyText?: string;
  outputPath?: CompiledPath | null;
  arguments?: CompiledJsonata;
  output?: CompiledJsonata;
  assign?: Assigner;
  retry: CompiledRetrier[];
  catch: CompiledCatcher[];
  usesContext: boolean;
  // Pass
  result?: Json;
  /** JSON text of `result`, computed once. */
  resultText?: string;
  /** `,"key":<resultText>` for a one-field ResultPath: the text a result adds to its input's. */
  resultFieldText?: string;
  /**
   * A JSONPath Pass with a constant Result written to one top-level field and no OutputPath: when
   * its input is an object the frame owns (see `Frame.ownsInput`), the field is set in place
   * instead of copying the object, since the result cannot refer to the input.
   */
  resultInPlace?: boolean;
  // Task
  resource?: string;
  timeout?: NumberSource;
  heartbeat?: NumberSource;
  // Choice
  choices?: CompiledChoice[];
  default?: string;
  // Wait
  waitSeconds?: NumberSource;
  waitTimestamp?: StringSource;
  // Fail
  error?: StringSource;
  cause?: StringSource;
  // Map
  itemsPath?: CompiledPath;
  items?: CompiledJsonata;
  itemSelector?: CompiledTemplate;
  itemSelectorJsonata?: CompiledJsonata;
  processor?: CompiledGraph;
  maxConcurrency?: NumberSource;
  toleratedCount?: NumberSource;
  toleratedPercentage?: NumberSource;
  distributed?: boolean;
  /** A Distributed Map's reader, batcher, writer and child type (`states/distributed/spec.ts`). */
  distributedSpec?: import("./states/distributed/spec.ts").DistributedSpec;
  // Parallel
  branches?: CompiledGraph[];
}

export interface CompiledGraph {
  startAt: string;
  states: Map<string, CompiledState>;
  /** Query language inherited by states without their own. */
  ql: QueryLanguage;
}

/** What `compile` returns; pass it to `start`/`advance` (or local/sfn's `runToCompletion`). */
export interface CompiledMachine {
  readonly definition: JsonObject;
  readonly type: StateMachineType;
  readonly root: CompiledGraph;
  readonly timeoutSeconds?: number;
}
