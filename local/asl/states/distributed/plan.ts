/**
 * The contract between the engine and the runtime for a Distributed Map: when the state starts, the
 * engine evaluates everything that depends on the state's input and context (ItemReader
 * parameters, MaxItems, batch sizes, BatchInput, thresholds, ResultWriter parameters) into a plan,
 * and issues one task command with resource {@link MAP_RUN_RESOURCE} and the plan as its input. The
 * runtime runs the Map Run (reads the items, starts the child executions, writes the results) and
 * answers with `taskSucceeded` (the state's result) or `taskFailed`. The plan is plain JSON: the
 * runtime stores it and resumes the Map Run from it after a restart.
 */
import type { Json, JsonObject, QueryLanguage } from "../../types.ts";

/** The task resource of a Map Run (not an AWS resource: it never appears in a history). */
export const MAP_RUN_RESOURCE = "countersign:mapRun";

export interface MapRunPlan {
  mapRunArn: string;
  /**
   * Set when the parent's redrive redrives this Map Run (its redrive count): the runtime then
   * reruns the children that did not succeed, with the items and settings it stored first.
   */
  redriveCount?: number;
  /** The execution that runs the Distributed Map. */
  executionArn: string;
  stateName: string;
  /** The state machine ARN of the children (`<machine>/<label>`), and their ARNs' prefix. */
  childMachineArn: string;
  childArnPrefix: string;
  executionType: "STANDARD" | "EXPRESS";
  /** The ItemProcessor as a definition text. */
  processor: string;
  roleArn: string;
  /** Inline items (ItemsPath / Items) when there is no ItemReader. */
  items?: Json[];
  reader?: {
    resource: string;
    /** Bucket, Key / Prefix, ... as evaluated. */
    parameters: JsonObject;
    /** ReaderConfig as evaluated (InputType, CSVHeaderLocation, CSVHeaders, CSVDelimiter, ...). */
    config: JsonObject;
    /** MaxItems / MaxItemsPath's value as found (checked by the reader, as AWS does). */
    maxItems?: Json;
  };
  /** ItemSelector as written, and what it sees besides the item. */
  selector?: {
    ql: QueryLanguage;
    template: Json;
    input: Json;
    context: JsonObject;
    vars: Record<string, Json>;
  };
  batcher?: { maxItemsPerBatch?: number; maxInputBytesPerBatch?: number; batchInput?: Json };
  /** 0: no limit. */
  maxConcurrency: number;
  /** -1 when not set. */
  toleratedFailureCount: number;
  toleratedFailurePercentage: number;
  writer?: { resource: string; parameters: JsonObject; config?: JsonObject };
}
