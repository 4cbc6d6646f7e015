/**
 * The definition a TestState request names: one state (wrapped, as AWS does, into a machine whose
 * only state is `StateName`), or a whole state machine and the `stateName` to test in it. It is
 * validated and compiled by the engine's own compiler, so the state under test runs exactly the
 * paths, templates and expressions an execution would.
 */
import { compileDefinition } from "../compile.ts";
import { DefinitionError } from "../errors.ts";
import type { CompiledGraph, CompiledMachine, CompiledState } from "../model.ts";
import type { Json, JsonObject } from "../types.ts";
import { invalid, TestStateRejected } from "./errors.ts";

/** The name AWS gives a state tested on its own (its context object says so too). */
export const SINGLE_STATE_NAME = "StateName";

export interface PreparedState {
  /** The compiled state under test. */
  state: CompiledState;
  /** Its definition as sent (ItemReader and ResultWriter included). */
  raw: JsonObject;
  machine: CompiledMachine;
}

// Compiling (schema validation included) is the slow part of a call; the same definition text is
// usually tested many times. Compiled machines are immutable, so sharing them is safe.
const cache = new Map<string, CompiledMachine>();
const CACHE_SIZE = 64;

/**
 * Parses, validates and compiles the definition and finds the state under test.
 * @throws TestStateRejected (InvalidDefinition, or ValidationException for an unknown stateName)
 */
export function prepareDefinition(definition: string, stateName?: string): PreparedState {
  let doc: unknown;
  try {
    doc = JSON.parse(definition);
  } catch (e) {
    throw new TestStateRejected(
      "InvalidDefinition",
      `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${(e as Error).message}'`,
      { cause: e },
    );
  }
  if (!isObject(doc)) {
    throw new TestStateRejected(
      "InvalidDefinition",
      "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: the definition must be a JSON object: one state, or a state machine with stateName'",
    );
  }
  let machineDoc: JsonObject;
  let name: string;
  if (stateName === undefined) {
    name = SINGLE_STATE_NAME;
    machineDoc = { StartAt: name, States: { [name]: doc, ...stubsFor(doc, name) } };
  } else {
    name = stateName;
    if (!findRaw(doc, name)) throw invalid("State not found in definition");
    machineDoc = doc;
  }
  const machine = compileCachedDoc(machineDoc);
  const state = findCompiled(machine.root, name) as CompiledState;
  const raw = stateName === undefined ? doc : (findRaw(doc, name) as JsonObject);
  return { state, raw, machine };
}

function compileCachedDoc(doc: JsonObject): CompiledMachine {
  const key = JSON.stringify(doc);
  const hit = cache.get(key);
  if (hit) return hit;
  let machine: CompiledMachine;
  try {
    // S3 readers and writers of a (mocked) Map never run here; the compiler would refuse them.
    machine = compileDefinition(withoutS3(doc));
  } catch (e) {
    if (e instanceof DefinitionError) {
      throw new TestStateRejected(
        "InvalidDefinition",
        `Invalid State Machine Definition: '${e.message}'`,
        {
          cause: e,
        },
      );
    }
    throw e;
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, machine);
  return machine;
}

/**
 * A state tested on its own may name states that are not there (Next, Default, Choice and Catch
 * targets): TestState only reports them as `nextState`. Stand-ins make the wrapper machine valid.
 */
function stubsFor(state: JsonObject, self: string): JsonObject {
  const targets: unknown[] = [state.Next, state.Default];
  for (const list of [state.Choices, state.Catch]) {
    if (Array.isArray(list)) for (const r of list) if (isObject(r)) targets.push(r.Next);
  }
  const stubs: JsonObject = {};
  for (const t of targets) {
    if (typeof t === "string" && t !== self) stubs[t] = { Type: "Succeed" };
  }
  return stubs;
}

/** A copy of `doc` whose Map states have no ItemReader or ResultWriter. */
function withoutS3(doc: Json): Json {
  if (Array.isArray(doc)) return doc.map(withoutS3);
  if (!isObject(doc)) return doc;
  const out: JsonObject = {};
  const isMap = doc.Type === "Map";
  for (const [k, v] of Object.entries(doc)) {
    if (isMap && (k === "ItemReader" || k === "ResultWriter")) continue;
    out[k] = withoutS3(v);
  }
  return out as Json;
}

/** The raw definition of the state `name`, at the top or inside Parallel branches / Map processors. */
function findRaw(machine: JsonObject, name: string): JsonObject | undefined {
  const states = machine.States;
  if (!isObject(states)) return undefined;
  if (Object.hasOwn(states, name) && isObject(states[name])) return states[name] as JsonObject;
  for (const s of Object.values(states)) {
    if (!isObject(s)) continue;
    const inner = [...(Array.isArray(s.Branches) ? s.Branches : []), s.ItemProcessor, s.Iterator];
    for (const g of inner) {
      if (!isObject(g)) continue;
      const found = findRaw(g, name);
      if (found) return found;
    }
  }
  return undefined;
}

function findCompiled(graph: CompiledGraph, name: string): CompiledState | undefined {
  const top = graph.states.get(name);
  if (top) return top;
  for (const s of graph.states.values()) {
    for (const g of [...(s.branches ?? []), ...(s.processor ? [s.processor] : [])]) {
      const found = findCompiled(g, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** The names of every state inside a Map's processor or a Parallel's branches. */
export function innerStateNames(state: CompiledState): Set<string> {
  const names = new Set<string>();
  const walk = (g: CompiledGraph) => {
    for (const s of g.states.values()) {
      names.add(s.name);
      for (const inner of [...(s.branches ?? []), ...(s.processor ? [s.processor] : [])])
        walk(inner);
    }
  };
  for (const g of [...(state.branches ?? []), ...(state.processor ? [state.processor] : [])])
    walk(g);
  return names;
}

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
