/**
 * Checks of one state: its Type and fields, its query language, and the content of each field.
 * Returns the transitions it declares and the nested state machines (Parallel branches, Map item
 * processors) for the machine walk to follow.
 */
import type { Json, JsonObject, QueryLanguage } from "../types.ts";
import { checkChoice } from "./choice.ts";
import {
  type Checker,
  describe,
  isJsonataString,
  isObject,
  pointer,
  type StateScope,
} from "./context.ts";
import { checkCatch, checkRetry } from "./error-handling.ts";
import {
  checkAssignNames,
  checkJsonataValue,
  checkNumberField,
  checkPathField,
  checkPathOrIntrinsic,
  checkPayloadTemplate,
} from "./expressions.ts";
import {
  ALLOWED_FIELDS,
  JSONATA_ONLY,
  JSONPATH_ONLY,
  NEEDS_TRANSITION,
  STATE_TYPES,
  type StateType,
} from "./fields.ts";

export interface Transition {
  target: string;
  at: string;
}

export interface NestedMachine {
  machine: JsonObject;
  at: string;
  language: QueryLanguage;
}

export interface StateResult {
  transitions: Transition[];
  nested: NestedMachine[];
  terminal: boolean;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function checkState(
  c: Checker,
  name: string,
  state: Json,
  at: string,
  inherited: QueryLanguage,
): StateResult {
  const result: StateResult = { transitions: [], nested: [], terminal: false };
  if (!isObject(state)) {
    c.schema(at, `State '${name}' must be an object with a Type; found ${describe(state)}.`);
    return result;
  }
  if (name.length > 80) {
    c.schema(
      at,
      `State names can be at most 80 characters; '${name.slice(0, 20)}...' has ${name.length}.`,
    );
  }
  const type = state.Type;
  if (type === undefined) {
    c.schema(
      pointer(at, "Type"),
      `These fields are required: [Type]. Give state '${name}' one of ${STATE_TYPES.join(", ")}.`,
    );
    return result;
  }
  if (typeof type !== "string" || !(STATE_TYPES as readonly string[]).includes(type)) {
    c.schema(
      pointer(at, "Type"),
      `Unknown state type ${typeof type === "string" ? JSON.stringify(type) : describe(type)} in state '${name}'; use one of ${STATE_TYPES.join(", ")}.`,
    );
    return result;
  }
  const language = stateLanguage(c, state, at, inherited);
  const s: StateScope = { name, state, at, language, checker: c };
  checkFields(s, type as StateType);
  checkTransition(s, type as StateType, result);
  checkDataFields(s);
  switch (type as StateType) {
    case "Task":
      checkTask(s);
      break;
    case "Wait":
      checkWait(s);
      break;
    case "Fail":
      checkFail(s);
      result.terminal = true;
      break;
    case "Succeed":
      result.terminal = true;
      break;
    case "Choice":
      checkChoice(s);
      choiceTransitions(s, result);
      break;
    case "Parallel":
      checkParallel(s, result);
      break;
    case "Map":
      checkMap(s, result);
      break;
    case "Pass":
      break;
  }
  if (type === "Task" || type === "Parallel" || type === "Map") {
    checkRetry(s);
    result.transitions.push(...checkCatch(s));
  }
  return result;
}

function stateLanguage(
  c: Checker,
  state: JsonObject,
  at: string,
  inherited: QueryLanguage,
): QueryLanguage {
  const q = state.QueryLanguage;
  if (q === undefined) return inherited;
  if (q !== "JSONPath" && q !== "JSONata") {
    c.schema(
      pointer(at, "QueryLanguage"),
      `QueryLanguage must be "JSONPath" or "JSONata"; found ${describe(q)}.`,
    );
    return inherited;
  }
  // "Transforming data with JSONata": a JSONata state machine cannot contain JSONPath states.
  if (q === "JSONPath" && c.topLanguage === "JSONata") {
    c.schema(
      pointer(at, "QueryLanguage"),
      'This state uses JSONPath but the state machine\'s top-level QueryLanguage is JSONata, which does not allow JSONPath states; convert the state to JSONata or set the top-level QueryLanguage to "JSONPath" (the default) and mark JSONata states individually.',
    );
  }
  return q;
}

function checkFields(s: StateScope, type: StateType): void {
  const { state, at, checker: c, language } = s;
  const allowed = ALLOWED_FIELDS[type];
  for (const field of Object.keys(state)) {
    const here = pointer(at, field);
    if (!allowed.has(field)) {
      if (field === "Retry" || field === "Catch") {
        c.schema(
          here,
          `Field '${field}' is not supported by ${type} states; only Task, Parallel and Map states can ${field === "Retry" ? "retry" : "catch errors"}.`,
        );
      } else if (field === "Next" || field === "End") {
        c.schema(
          here,
          `Field '${field}' is not supported by ${type} states; ${type === "Choice" ? "give each Choice rule a Next, and a Default" : `a ${type} state ends the execution or branch`}.`,
        );
      } else {
        c.schema(
          here,
          `Field '${field}' is not supported by ${type} states; remove it or check its spelling.`,
        );
      }
      continue;
    }
    if (language === "JSONata" && field in JSONPATH_ONLY) {
      c.schema(
        here,
        `Field '${field}' is JSONPath-only but state '${s.name}' uses JSONata; ${JSONPATH_ONLY[field]}, or set "QueryLanguage": "JSONPath" on the state.`,
      );
    } else if (language === "JSONPath" && field in JSONATA_ONLY) {
      const mixed = Object.keys(state).filter((k) => k in JSONPATH_ONLY);
      c.schema(
        here,
        mixed.length > 0
          ? `State '${s.name}' mixes JSONata field '${field}' with JSONPath field(s) ${mixed.join(", ")}; use one query language per state (set "QueryLanguage": "JSONata" and ${JSONPATH_ONLY[mixed[0] as string]}, or ${JSONATA_ONLY[field]}).`
          : `Field '${field}' is JSONata-only but state '${s.name}' uses JSONPath; set "QueryLanguage": "JSONata" on the state or ${JSONATA_ONLY[field]}.`,
      );
    }
  }
}

function checkTransition(s: StateScope, type: StateType, result: StateResult): void {
  const { state, at, checker: c } = s;
  if (!NEEDS_TRANSITION.has(type)) return;
  const hasNext = state.Next !== undefined;
  const hasEnd = state.End !== undefined;
  if (hasNext && hasEnd) {
    c.schema(at, `State '${s.name}' has both Next and End; keep exactly one.`);
  } else if (!hasNext && !hasEnd) {
    c.schema(
      at,
      `State '${s.name}' needs exactly one of Next (the state to go to) or "End": true.`,
    );
  }
  if (hasEnd && state.End !== true) {
    c.schema(pointer(at, "End"), `End must be true; to continue, remove End and set Next.`);
  }
  if (hasEnd && state.End === true && !hasNext) result.terminal = true;
  if (hasNext) {
    if (typeof state.Next !== "string" || state.Next === "") {
      c.schema(pointer(at, "Next"), "Next must be the name of a state.");
    } else {
      result.transitions.push({ target: state.Next, at: pointer(at, "Next") });
    }
  }
}

function checkDataFields(s: StateScope): void {
  const { state, at, checker: c, language } = s;
  checkAssignNames(c, pointer(at, "Assign"), state.Assign);
  if (language === "JSONPath") {
    checkPathField(c, pointer(at, "InputPath"), "InputPath", state.InputPath, "path", true);
    checkPathField(c, pointer(at, "OutputPath"), "OutputPath", state.OutputPath, "path", true);
    checkPathField(c, pointer(at, "ResultPath"), "ResultPath", state.ResultPath, "result", true);
    for (const f of ["Parameters", "ResultSelector", "Assign"]) {
      if (state[f] !== undefined) checkPayloadTemplate(c, pointer(at, f), state[f] as Json);
    }
  } else {
    for (const f of ["Arguments", "Output", "Assign"]) {
      checkJsonataValue(c, pointer(at, f), f, state[f]);
    }
  }
}

function exclusive(s: StateScope, fields: string[], needOne: boolean): void {
  const present = fields.filter((f) => s.state[f] !== undefined);
  if (present.length > 1) {
    s.checker.schema(
      pointer(s.at, present[1] as string),
      `State '${s.name}' sets ${present.join(" and ")}; they are mutually exclusive, keep one.`,
    );
  } else if (needOne && present.length === 0) {
    s.checker.schema(s.at, `State '${s.name}' needs exactly one of ${fields.join(", ")}.`);
  }
}

function checkTask(s: StateScope): void {
  const { state, at, checker: c, language } = s;
  const { options } = c;
  const resource = state.Resource;
  if (resource === undefined) {
    c.schema(
      pointer(at, "Resource"),
      `These fields are required: [Resource]. Set the ARN of the Lambda function or service integration, e.g. "arn:aws:states:::lambda:invoke".`,
    );
  } else if (typeof resource !== "string" || resource === "") {
    c.schema(
      pointer(at, "Resource"),
      `Resource must be an ARN string; found ${describe(resource)}.`,
    );
  } else {
    if (language === "JSONata" ? !isJsonataString(resource) : true) {
      if (!resource.startsWith("arn:") && !/^\$\{[^}]+\}$/.test(resource)) {
        c.schema(
          pointer(at, "Resource"),
          `The resource provided ${resource} is not an ARN; use a Lambda function ARN or an "arn:aws:states:::" service integration.`,
        );
      } else if (options.isKnownResource && !options.isKnownResource(resource)) {
        c.schema(
          pointer(at, "Resource"),
          `The resource provided ${resource} is not recognized; use one of the supported integrations (Lambda, DynamoDB, states:startExecution) or a known function ARN.`,
        );
      }
    }
    if (options.type === "EXPRESS" && /\.(waitForTaskToken|sync(:2)?)$/.test(resource)) {
      c.schema(
        pointer(at, "Resource"),
        `EXPRESS state machines do not support the ${resource.slice(resource.lastIndexOf("."))} integration pattern; use a STANDARD state machine or the request-response form of the resource.`,
      );
    }
  }
  exclusive(s, ["TimeoutSeconds", "TimeoutSecondsPath"], false);
  exclusive(s, ["HeartbeatSeconds", "HeartbeatSecondsPath"], false);
  const jsonata = language === "JSONata";
  const timeout = checkNumberField(
    c,
    pointer(at, "TimeoutSeconds"),
    "TimeoutSeconds",
    state.TimeoutSeconds,
    jsonata,
    { min: 0, exclusiveMin: true, integer: true, max: 99999999 },
  );
  const heartbeat = checkNumberField(
    c,
    pointer(at, "HeartbeatSeconds"),
    "HeartbeatSeconds",
    state.HeartbeatSeconds,
    jsonata,
    { min: 0, exclusiveMin: true, integer: true, max: 99999999 },
  );
  if (timeout !== undefined && heartbeat !== undefined && heartbeat >= timeout) {
    c.schema(
      pointer(at, "HeartbeatSeconds"),
      `HeartbeatSeconds (${heartbeat}) must be smaller than TimeoutSeconds (${timeout}).`,
    );
  }
  checkPathField(
    c,
    pointer(at, "TimeoutSecondsPath"),
    "TimeoutSecondsPath",
    state.TimeoutSecondsPath,
    "reference",
  );
  checkPathField(
    c,
    pointer(at, "HeartbeatSecondsPath"),
    "HeartbeatSecondsPath",
    state.HeartbeatSecondsPath,
    "reference",
  );
  if (state.Credentials !== undefined && !isObject(state.Credentials)) {
    c.schema(
      pointer(at, "Credentials"),
      "Credentials must be an object with RoleArn or RoleArn.$.",
    );
  }
}

function checkWait(s: StateScope): void {
  const { state, at, checker: c, language } = s;
  exclusive(s, ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"], true);
  const jsonata = language === "JSONata";
  checkNumberField(c, pointer(at, "Seconds"), "Seconds", state.Seconds, jsonata, {
    min: 0,
    integer: true,
    max: 99999999,
  });
  const ts = state.Timestamp;
  if (ts !== undefined && !(jsonata && isJsonataString(ts))) {
    if (typeof ts !== "string" || !ISO_TIMESTAMP.test(ts)) {
      c.schema(
        pointer(at, "Timestamp"),
        `Timestamp must be an ISO 8601 timestamp such as "2026-03-14T01:59:00Z"; found ${describe(ts)}.`,
      );
    }
  } else if (ts !== undefined) checkJsonataValue(c, pointer(at, "Timestamp"), "Timestamp", ts);
  checkPathField(c, pointer(at, "SecondsPath"), "SecondsPath", state.SecondsPath, "reference");
  checkPathField(
    c,
    pointer(at, "TimestampPath"),
    "TimestampPath",
    state.TimestampPath,
    "reference",
  );
}

function checkFail(s: StateScope): void {
  const { state, at, checker: c, language } = s;
  exclusive(s, ["Error", "ErrorPath"], false);
  exclusive(s, ["Cause", "CausePath"], false);
  for (const f of ["Error", "Cause"]) {
    const v = state[f];
    if (v === undefined) continue;
    if (language === "JSONata" && isJsonataString(v)) checkJsonataValue(c, pointer(at, f), f, v);
    else if (typeof v !== "string")
      c.schema(pointer(at, f), `${f} must be a string; found ${describe(v)}.`);
  }
  for (const f of ["ErrorPath", "CausePath"]) {
    if (state[f] !== undefined && language === "JSONPath") {
      checkPathOrIntrinsic(c, pointer(at, f), f, state[f] as Json);
    }
  }
}

function choiceTransitions(s: StateScope, result: StateResult): void {
  const { state, at } = s;
  if (Array.isArray(state.Choices)) {
    state.Choices.forEach((rule, i) => {
      if (isObject(rule) && typeof rule.Next === "string") {
        result.transitions.push({ target: rule.Next, at: pointer(at, "Choices", i, "Next") });
      }
    });
  }
  if (typeof state.Default === "string") {
    result.transitions.push({ target: state.Default, at: pointer(at, "Default") });
  }
}

function checkParallel(s: StateScope, result: StateResult): void {
  const { state, at, checker: c } = s;
  const branches = state.Branches;
  if (branches === undefined) {
    c.schema(
      pointer(at, "Branches"),
      "These fields are required: [Branches]. A Parallel state needs a non-empty array of branches, each with StartAt and States.",
    );
    return;
  }
  if (!Array.isArray(branches) || branches.length === 0) {
    c.schema(
      pointer(at, "Branches"),
      "Branches must be a non-empty array of branches, each with StartAt and States.",
    );
    return;
  }
  branches.forEach((b, i) => {
    if (!isObject(b))
      c.schema(
        pointer(at, "Branches", i),
        `Each branch must be an object with StartAt and States; found ${describe(b)}.`,
      );
    else result.nested.push({ machine: b, at: pointer(at, "Branches", i), language: s.language });
  });
}

function checkMap(s: StateScope, result: StateResult): void {
  const { state, at, checker: c, language } = s;
  const processor = state.ItemProcessor ?? state.Iterator;
  const field = state.ItemProcessor !== undefined ? "ItemProcessor" : "Iterator";
  if (state.ItemProcessor !== undefined && state.Iterator !== undefined) {
    c.schema(
      pointer(at, "Iterator"),
      "Map state has both ItemProcessor and Iterator; keep ItemProcessor (Iterator is its deprecated name).",
    );
  }
  if (processor === undefined) {
    c.schema(
      pointer(at, "ItemProcessor"),
      "These fields are required: [ItemProcessor]. Give the Map state an ItemProcessor with StartAt and States to run for each item.",
    );
  } else if (!isObject(processor)) {
    c.schema(
      pointer(at, field),
      `${field} must be an object with StartAt and States; found ${describe(processor)}.`,
    );
  } else {
    const config = processor.ProcessorConfig;
    if (config !== undefined) {
      if (!isObject(config)) {
        c.schema(
          pointer(at, field, "ProcessorConfig"),
          'ProcessorConfig must be an object such as {"Mode": "INLINE"}.',
        );
      } else if (
        config.Mode !== undefined &&
        config.Mode !== "INLINE" &&
        config.Mode !== "DISTRIBUTED"
      ) {
        c.schema(
          pointer(at, field, "ProcessorConfig", "Mode"),
          `Mode must be "INLINE" or "DISTRIBUTED"; found ${describe(config.Mode)}.`,
        );
      }
    }
    result.nested.push({ machine: processor, at: pointer(at, field), language });
  }
  exclusive(s, ["MaxConcurrency", "MaxConcurrencyPath"], false);
  exclusive(s, ["ToleratedFailurePercentage", "ToleratedFailurePercentagePath"], false);
  exclusive(s, ["ToleratedFailureCount", "ToleratedFailureCountPath"], false);
  const jsonata = language === "JSONata";
  checkNumberField(
    c,
    pointer(at, "MaxConcurrency"),
    "MaxConcurrency",
    state.MaxConcurrency,
    jsonata,
    { min: 0, integer: true },
  );
  checkNumberField(
    c,
    pointer(at, "ToleratedFailurePercentage"),
    "ToleratedFailurePercentage",
    state.ToleratedFailurePercentage,
    jsonata,
    { min: 0, max: 100 },
  );
  checkNumberField(
    c,
    pointer(at, "ToleratedFailureCount"),
    "ToleratedFailureCount",
    state.ToleratedFailureCount,
    jsonata,
    { min: 0, integer: true },
  );
  for (const f of [
    "ItemsPath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
  ]) {
    checkPathField(c, pointer(at, f), f, state[f], f === "ItemsPath" ? "path" : "reference");
  }
  if (language === "JSONPath") {
    if (state.ItemSelector !== undefined)
      checkPayloadTemplate(c, pointer(at, "ItemSelector"), state.ItemSelector);
  } else {
    checkJsonataValue(c, pointer(at, "ItemSelector"), "ItemSelector", state.ItemSelector);
    const items = state.Items;
    if (items !== undefined && !Array.isArray(items) && !isJsonataString(items)) {
      c.schema(
        pointer(at, "Items"),
        `Items must be an array or a {% %} JSONata expression that yields one; found ${describe(items)}.`,
      );
    }
    checkJsonataValue(c, pointer(at, "Items"), "Items", items);
  }
}
