/**
 * The context object (`$$`, `$states.context`) of a tested state: the one the request supplies
 * (checked field by field, as AWS checks it, with AWS's messages), or the one TestState makes up —
 * an Express-style execution of a machine with invented names, whose state is called `StateName`
 * (recorded on AWS even when `stateName` names another state).
 */
import type { CompiledState } from "../model.ts";
import { isoTime } from "../snapshot.ts";
import type { Json, JsonObject } from "../types.ts";
import { isObject, SINGLE_STATE_NAME } from "./definition.ts";
import { invalid } from "./errors.ts";

type FieldType = "string" | "number" | "any";

/** The fields AWS accepts in a supplied context object, by section. */
const ALLOWED: Record<string, Record<string, FieldType>> = {
  Execution: {
    Id: "string",
    Input: "any",
    Name: "string",
    RoleArn: "string",
    StartTime: "string",
    RedriveCount: "number",
    RedriveTime: "string",
  },
  State: { EnteredTime: "string", Name: "string", RetryCount: "number" },
  StateMachine: { Id: "string", Name: "string" },
  Task: { Token: "string" },
};

const PREFIX = "Invalid Context object provided: ";

/** Whether the state is a Task that waits for a token or a child (`.waitForTaskToken`, `.sync`). */
export function hasTaskContext(state: CompiledState): boolean {
  return (
    state.type === "Task" && /\.(waitForTaskToken|sync)(:\d+)?$/.test(state.resource as string)
  );
}

/**
 * Parses and checks the request's `context`.
 * @throws TestStateRejected with AWS's "Invalid Context object provided: ..." messages
 */
export function parseContext(text: string, state: CompiledState): JsonObject {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid(`${PREFIX}the context must be JSON text of an object`);
  }
  if (!isObject(doc)) throw invalid(`${PREFIX}the context must be a JSON object`);
  for (const [section, value] of Object.entries(doc)) {
    if (section === "Map") {
      throw invalid(`${PREFIX}'Map' field is not supported when mocking a Context object`);
    }
    const fields = ALLOWED[section];
    if (!fields) throw invalid(`${PREFIX}Field '${section}' is not allowed`);
    if (!isObject(value)) throw invalid(`${PREFIX}${section} must be an object`);
    for (const [field, v] of Object.entries(value)) {
      const type = fields[field];
      if (!type) throw invalid(`${PREFIX}Field '${field}' is not allowed`);
      if (type !== "any" && typeof v !== type) {
        throw invalid(`${PREFIX}${section}.${field} must be a ${type}`);
      }
    }
  }
  if (Object.hasOwn(doc, "Task") && !hasTaskContext(state)) {
    throw invalid(
      `${PREFIX}Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern`,
    );
  }
  return doc;
}

export interface DefaultContextParams {
  region: string;
  accountId: string;
  roleArn: string | undefined;
  input: Json;
  now: number;
  state: CompiledState;
  machineName: string;
  executionName: string;
  retryCount: number;
  taskToken: string | undefined;
}

/** The context object TestState makes up when the request supplies none. */
export function defaultContext(p: DefaultContextParams): JsonObject {
  const prefix = `arn:aws:states:${p.region}:${p.accountId}`;
  const state: JsonObject = { Name: SINGLE_STATE_NAME, EnteredTime: isoTime(p.now) };
  // Only states that can retry carry a retry count (a Pass state's context has none on AWS).
  const t = p.state.type;
  if (t === "Task" || t === "Map" || t === "Parallel") state.RetryCount = p.retryCount;
  const context: JsonObject = {
    Execution: {
      Id: `${prefix}:express:${p.machineName}:${p.executionName}`,
      Input: p.input,
      Name: p.executionName,
      RoleArn: p.roleArn ?? null,
      StartTime: isoTime(p.now),
    },
    StateMachine: { Id: `${prefix}:stateMachine:${p.machineName}`, Name: p.machineName },
    State: state,
  };
  if (p.taskToken !== undefined) context.Task = { Token: p.taskToken };
  return context;
}
