/**
 * The task corpus (`conformance/aws-recorded-tasks`): its case shapes, loading, and which cases
 * cannot run here (they need SQS or SNS, which the local platform does not emulate).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Json } from "../../../local/asl/types.ts";

export interface CallbackAction {
  op: "SendTaskSuccess" | "SendTaskFailure" | "SendTaskHeartbeat";
  token_path: string[];
  /** `{json_of_path}`: JSON of that member of the message; `{message_text}`: the message; `{literal}`. */
  output?: { json_of_path?: string[]; message_text?: boolean; literal?: string };
  error?: string;
  cause?: string;
  /** Seconds the recording waited before this call. */
  delay_s?: number;
}

export interface ExecutionCase {
  name: string;
  kind: "execution";
  fidelity: "recorded" | "adapted";
  requires: string[];
  state_machine: { name: string; type: "STANDARD" | "EXPRESS" };
  definition: Json;
  input: Json;
  execution_name: string | null;
  start: "StartExecution" | "StartSyncExecution";
  functions: Record<string, string>;
  setup: {
    state_machines?: Array<{ name: string; type: "STANDARD" | "EXPRESS"; definition: Json }>;
    dynamodb_tables?: Array<Record<string, unknown>>;
    dynamodb_items?: Array<Record<string, unknown>>;
  };
  callback: { message_field: string; actions: CallbackAction[] } | null;
  expected: { status: string; output?: Json; error?: string; cause?: Json };
  history_event_types: string[] | null;
  expected_duration_s: number;
}

export interface ApiStep {
  ref: string;
  op: string;
  params: Record<string, unknown>;
  expect: "ok" | { error: string; message: string };
}

export interface ApiCase {
  name: string;
  kind: "api";
  fidelity: "recorded";
  operations: string[];
  functions: Record<string, string>;
  steps: ApiStep[];
}

export type TaskCase = ExecutionCase | ApiCase;

/** Every case of the corpus folder, in file-name order. */
export function loadTaskCases(dir: string): TaskCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !f.startsWith("_"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as TaskCase);
}

/** Why a case cannot run here, or undefined when it can. */
export function skipReason(c: TaskCase): string | undefined {
  if (c.kind !== "execution") return undefined;
  const missing = c.requires.filter((s) => s === "sqs" || s === "sns");
  return missing.length
    ? `needs ${missing.join(" and ").toUpperCase()}, which the local platform does not emulate`
    : undefined;
}
