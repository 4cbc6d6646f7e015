/**
 * Checks of one state: its Type and fields, its query language, and the content of each field.
 * Returns the transitions it declares and the nested state machines (Parallel branches, Map item
 * processors) for the machine walk to follow.
 */
import type { Json, JsonObject, QueryLanguage } from "../types.ts";
import { checkChoice } from "./choice.ts";
import { type Checker, describe, isObject, pointer, type StateScope } from "./context.ts";
import { checkCatch, checkRetry } from "./error-handling.ts";
import {
  checkAssignNames,
  checkJsonataValue,
  checkPathField,
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
import {
  checkFail,
  checkMap,
  checkParallel,
  checkTask,
  checkWait,
  choiceTransitions,
} from "./state-types.ts";

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
      // AWS's words (recorded by TestState and CreateStateMachine), its order of the types.
      "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]",
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
