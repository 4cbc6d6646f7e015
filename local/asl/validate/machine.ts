/**
 * Checks one state machine scope (the top level, a Parallel branch, or a Map item processor):
 * StartAt, States, transition targets within the scope, unique state names across the whole
 * definition, and that every state is reachable from StartAt.
 */
import type { Json, JsonObject, QueryLanguage } from "../types.ts";
import { type Checker, describe, isObject, pointer } from "./context.ts";
import { checkNumberField } from "./expressions.ts";
import { NESTED_MACHINE_FIELDS, TOP_LEVEL_FIELDS } from "./fields.ts";
import { checkState, type Transition } from "./state.ts";

export function checkMachine(
  c: Checker,
  machine: JsonObject,
  at: string,
  inherited: QueryLanguage,
  topLevel: boolean,
): void {
  const allowed = topLevel ? TOP_LEVEL_FIELDS : NESTED_MACHINE_FIELDS;
  const where = topLevel
    ? "the state machine"
    : "a nested state machine (branch or item processor)";
  for (const field of Object.keys(machine)) {
    if (!allowed.has(field)) {
      c.schema(
        pointer(at, field),
        `Field '${field}' is not supported at the top of ${where}; use ${[...allowed].join(", ")}.`,
      );
    }
  }
  let language = inherited;
  if (machine.QueryLanguage !== undefined) {
    if (machine.QueryLanguage !== "JSONPath" && machine.QueryLanguage !== "JSONata") {
      c.schema(
        pointer(at, "QueryLanguage"),
        `QueryLanguage must be "JSONPath" or "JSONata"; found ${describe(machine.QueryLanguage)}.`,
      );
    } else {
      language = machine.QueryLanguage;
    }
  }
  if (topLevel) {
    checkNumberField(
      c,
      pointer(at, "TimeoutSeconds"),
      "TimeoutSeconds",
      machine.TimeoutSeconds,
      false,
      { min: 0, exclusiveMin: true, integer: true, max: 99999999 },
    );
    for (const f of ["Comment", "Version"]) {
      if (machine[f] !== undefined && typeof machine[f] !== "string") {
        c.schema(pointer(at, f), `${f} must be a string; found ${describe(machine[f])}.`);
      }
    }
  }

  const states = machine.States;
  if (states === undefined) {
    // AWS points at the object that lacks the field.
    c.schema(
      at || "/",
      "These fields are required: [States]",
      "add an object mapping state names to states",
    );
  } else if (!isObject(states) || Object.keys(states).length === 0) {
    c.schema(
      pointer(at, "States"),
      "States must be a non-empty object mapping state names to states.",
    );
  }
  const stateMap: JsonObject = isObject(states) ? states : {};
  const startAt = machine.StartAt;
  if (startAt === undefined) {
    c.schema(
      pointer(at, "StartAt"),
      "These fields are required: [StartAt]. Name the state the execution begins with.",
    );
  } else if (typeof startAt !== "string" || startAt === "") {
    c.schema(
      pointer(at, "StartAt"),
      `StartAt must be the name of a state; found ${describe(startAt)}.`,
    );
  } else if (isObject(states) && !Object.hasOwn(stateMap, startAt)) {
    c.error(
      "MISSING_TRANSITION_TARGET",
      pointer(at, "StartAt"),
      `StartAt names '${startAt}', which is not a state in ${topLevel ? "States" : "this branch's States"}; use one of ${quoteList(Object.keys(stateMap))}.`,
    );
  }

  const edges = new Map<string, Transition[]>();
  let anyTerminal = false;
  for (const [name, state] of Object.entries(stateMap)) {
    const here = pointer(at, "States", name);
    const seen = c.stateNames.get(name);
    if (seen !== undefined) {
      c.error(
        "DUPLICATE_STATE_NAME",
        here,
        `State name '${name}' is already used at ${seen}; state names must be unique across the whole definition, including branches and item processors.`,
      );
    } else {
      c.stateNames.set(name, here);
    }
    const result = checkState(c, name, state as Json, here, language);
    anyTerminal ||= result.terminal;
    edges.set(name, result.transitions);
    for (const t of result.transitions) {
      if (!Object.hasOwn(stateMap, t.target)) {
        c.error(
          "MISSING_TRANSITION_TARGET",
          t.at,
          `Missing transition target: '${t.target}' is not a state in ${topLevel ? "States" : "this branch or item processor"}${topLevel ? "" : " (a nested state can only move to states in its own scope)"}; use one of ${quoteList(Object.keys(stateMap))}.`,
        );
      }
    }
    for (const n of result.nested) {
      checkMachine(c, n.machine, n.at, n.language, false);
    }
  }

  if (typeof startAt === "string" && Object.hasOwn(stateMap, startAt)) {
    const reached = new Set<string>([startAt]);
    const queue = [startAt];
    while (queue.length > 0) {
      for (const t of edges.get(queue.pop() as string) ?? []) {
        if (!reached.has(t.target) && Object.hasOwn(stateMap, t.target)) {
          reached.add(t.target);
          queue.push(t.target);
        }
      }
    }
    for (const name of Object.keys(stateMap)) {
      if (!reached.has(name)) {
        c.error(
          "UNREACHABLE_STATE",
          pointer(at, "States", name),
          `State '${name}' is not reachable from StartAt '${startAt}'; point a Next, Default or Catch at it, or remove it.`,
        );
      }
    }
    if (!anyTerminal && Object.keys(stateMap).length > 0) {
      c.warning(
        "MISSING_TERMINAL_STATE",
        pointer(at, "States"),
        `No state in ${topLevel ? "the state machine" : "this branch or item processor"} ends it; add "End": true, a Succeed or a Fail state so executions can finish.`,
      );
    }
  }
}

function quoteList(names: string[]): string {
  const shown = names.slice(0, 8).map((n) => `'${n}'`);
  return names.length > 8 ? `${shown.join(", ")}, ...` : shown.join(", ") || "(none)";
}
