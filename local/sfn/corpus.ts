/**
 * Loading and judging corpus-format cases (`conformance/README.md`): run each case's definition
 * to completion on the executor (`runToCompletion`: in-memory store, virtual clock) and compare
 * status and output (numbers by value) or error and cause (where the case gives them). Used by
 * the conformance test and `countersign asl test`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type CompiledMachine, compile, DefinitionError } from "../asl/index.ts";
import type { Json } from "../asl/types.ts";
import { Lru } from "./lru.ts";
import { runToCompletion } from "./run-to-completion.ts";

export interface CorpusCase {
  name: string;
  file: string;
  definition: Json;
  input: Json;
  expected: { status: string; output?: Json; error?: string; cause?: string };
  history_event_types?: string[] | null;
}

export interface CaseVerdict {
  name: string;
  file: string;
  pass: boolean;
  /** Short explanation of the difference when it fails. */
  diff?: string;
  /** Whether the history types match, when the case records them. */
  historyMatch?: boolean;
  historyDiff?: string;
}

/** Reads every `*.json` case under the given files/directories (skipping `_` files). */
export function loadCases(paths: string[]): CorpusCase[] {
  const out: CorpusCase[] = [];
  const visit = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (!f.startsWith("_")) visit(join(p, f));
      return;
    }
    if (!p.endsWith(".json")) return;
    const c = JSON.parse(readFileSync(p, "utf8")) as CorpusCase;
    c.file = p;
    out.push(c);
  };
  for (const p of paths) visit(p);
  return out;
}

/** Deep equality where numbers compare by value. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as never)[k], (b as never)[k]));
  }
  return false;
}

const short = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? "undefined" : s.length > 300 ? `${s.slice(0, 300)}…` : s;
};

// Many cases share a definition; compiling (with validation) is the slow part.
const compiled = new Lru<string, CompiledMachine>(256);
function compileCached(definition: Json): CompiledMachine {
  const key = JSON.stringify(definition);
  let m = compiled.get(key);
  if (!m) {
    m = compile(definition);
    compiled.set(key, m);
  }
  return m;
}

/** Runs one case and judges it. */
export async function judgeCase(c: CorpusCase): Promise<CaseVerdict> {
  const v: CaseVerdict = { name: c.name, file: c.file, pass: false };
  let actual: { status: string; output?: Json; error?: string; cause?: string; types: string[] };
  try {
    const r = await runToCompletion(compileCached(c.definition), c.input ?? {});
    actual = { ...r, types: r.history.map((h) => h.type) } as typeof actual;
  } catch (e) {
    const msg = e instanceof DefinitionError ? `definition rejected: ${e.message}` : String(e);
    v.diff = msg;
    return v;
  }
  const exp = c.expected;
  const diffs: string[] = [];
  if (actual.status !== exp.status)
    diffs.push(`status: expected ${exp.status}, got ${actual.status}`);
  if (exp.status === "SUCCEEDED") {
    if (!jsonEqual(actual.output, exp.output)) {
      diffs.push(
        `output:\n    expected ${short(exp.output)}\n    actual   ${short(actual.output)}`,
      );
    }
  } else {
    if (exp.error !== undefined && actual.error !== exp.error) {
      diffs.push(`error: expected ${short(exp.error)}, got ${short(actual.error)}`);
    }
    if (exp.cause !== undefined && actual.cause !== exp.cause) {
      diffs.push(`cause:\n    expected ${short(exp.cause)}\n    actual   ${short(actual.cause)}`);
    }
  }
  if (actual.status !== "SUCCEEDED" && exp.status === "SUCCEEDED") {
    diffs.push(`  (${actual.error}: ${actual.cause})`);
  }
  v.pass = diffs.length === 0;
  if (!v.pass) v.diff = diffs.join("\n  ");
  if (c.history_event_types) {
    v.historyMatch = jsonEqual(actual.types, c.history_event_types);
    if (!v.historyMatch) {
      v.historyDiff = `expected ${c.history_event_types.join(",")}\n  actual   ${actual.types.join(",")}`;
    }
  }
  return v;
}
