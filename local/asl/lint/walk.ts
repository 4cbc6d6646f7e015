/**
 * Every state of a definition with where it sits: its JSON pointer (AWS's location format,
 * `/States/<StateName>/<FieldName>`, nested as `/States/Lines/ItemProcessor/States/Reserve`), the
 * scope it belongs to and its query language. The walk never throws: lint runs on definitions
 * that may not validate, and skips what it cannot read.
 */
import type { Json, JsonObject, QueryLanguage } from "../types.ts";

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Appends escaped segments to a JSON pointer (RFC 6901). */
export function pointer(base: string, ...segments: (string | number)[]): string {
  return segments.reduce<string>(
    (p, s) => `${p}/${String(s).replaceAll("~", "~0").replaceAll("/", "~1")}`,
    base,
  );
}

/** One state machine scope: the top level, a Parallel branch or a Map item processor. */
export interface Scope {
  /** Pointer of the scope's object (`""` at the top). */
  at: string;
  startAt: string | undefined;
  states: Map<string, StateRef>;
  /** The Map or Parallel state that runs this scope; undefined at the top level. */
  container: StateRef | undefined;
}

export interface StateRef {
  name: string;
  state: JsonObject;
  /** `/States/<name>` within its scope. */
  at: string;
  type: string;
  language: QueryLanguage;
  scope: Scope;
  /** Scopes nested directly in this state (Parallel branches, Map item processor). */
  children: Scope[];
}

export interface DefinitionIndex {
  top: Scope;
  scopes: Scope[];
  /** Every state, in definition order (names are unique across a valid definition). */
  states: StateRef[];
  byName: Map<string, StateRef>;
}

function language(v: Json | undefined, inherited: QueryLanguage): QueryLanguage {
  return v === "JSONata" || v === "JSONPath" ? v : inherited;
}

/** Indexes a parsed definition. Anything that is not an object yields an empty index. */
export function indexDefinition(definition: unknown): DefinitionIndex {
  const index: DefinitionIndex = {
    top: { at: "", startAt: undefined, states: new Map(), container: undefined },
    scopes: [],
    states: [],
    byName: new Map(),
  };
  if (!isObject(definition)) return index;
  index.top = scope(
    index,
    definition,
    "",
    language(definition.QueryLanguage, "JSONPath"),
    undefined,
  );
  return index;
}

function scope(
  index: DefinitionIndex,
  machine: JsonObject,
  at: string,
  ql: QueryLanguage,
  container: StateRef | undefined,
): Scope {
  const s: Scope = {
    at,
    startAt: typeof machine.StartAt === "string" ? machine.StartAt : undefined,
    states: new Map(),
    container,
  };
  index.scopes.push(s);
  const states = isObject(machine.States) ? machine.States : {};
  for (const [name, raw] of Object.entries(states)) {
    if (!isObject(raw)) continue;
    const ref: StateRef = {
      name,
      state: raw,
      at: pointer(at, "States", name),
      type: typeof raw.Type === "string" ? raw.Type : "",
      language: language(raw.QueryLanguage, ql),
      scope: s,
      children: [],
    };
    s.states.set(name, ref);
    index.states.push(ref);
    if (!index.byName.has(name)) index.byName.set(name, ref);
    for (const [child, childAt] of nestedMachines(ref)) {
      ref.children.push(scope(index, child, childAt, ref.language, ref));
    }
  }
  return s;
}

/** Parallel `Branches`, Map `ItemProcessor` (or the older `Iterator`). */
function nestedMachines(ref: StateRef): [JsonObject, string][] {
  const out: [JsonObject, string][] = [];
  if (ref.type === "Parallel" && Array.isArray(ref.state.Branches)) {
    ref.state.Branches.forEach((b, i) => {
      if (isObject(b)) out.push([b, pointer(ref.at, "Branches", i)]);
    });
  }
  if (ref.type === "Map") {
    for (const field of ["ItemProcessor", "Iterator"]) {
      const m = ref.state[field];
      if (isObject(m)) out.push([m, pointer(ref.at, field)]);
    }
  }
  return out;
}

/** Where a state goes next on success: Next, or a Choice's rules and Default. */
export function successors(ref: StateRef): string[] {
  const out: string[] = [];
  if (typeof ref.state.Next === "string") out.push(ref.state.Next);
  if (ref.type === "Choice") {
    if (Array.isArray(ref.state.Choices)) {
      for (const c of ref.state.Choices) {
        if (isObject(c) && typeof c.Next === "string") out.push(c.Next);
      }
    }
    if (typeof ref.state.Default === "string") out.push(ref.state.Default);
  }
  return out;
}

/** A state's catchers that name a Next, with their index in `Catch`. */
export function catchers(ref: StateRef): { index: number; errors: string[]; next: string }[] {
  if (!Array.isArray(ref.state.Catch)) return [];
  const out: { index: number; errors: string[]; next: string }[] = [];
  ref.state.Catch.forEach((c, index) => {
    if (!isObject(c) || typeof c.Next !== "string") return;
    const errors = Array.isArray(c.ErrorEquals)
      ? c.ErrorEquals.filter((e): e is string => typeof e === "string")
      : [];
    out.push({ index, errors, next: c.Next });
  });
  return out;
}
