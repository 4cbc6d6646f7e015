/**
 * asl-validator's JSON schemas, used as a backstop behind our own checks: its findings are reported
 * only where our checks found nothing in the same state, and a few of its rules that AWS does not
 * enforce (seen in the AWS-recorded corpus) are dropped. asl-validator itself compiles its schemas
 * on every call (over a second on a busy machine), so we compile them once.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Ajv } from "ajv";
import addFormatsImport from "ajv-formats";
import type { Diagnostic, Json, JsonObject } from "../types.ts";
import { isObject, pointer } from "./context.ts";

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
}
type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

// ajv-formats is CommonJS whose default export TypeScript sees as the module object.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

const SCHEMAS = [
  "common",
  "paths",
  "jsonata",
  "choice",
  "fail",
  "parallel",
  "pass",
  "base-state-machine",
  "state-machine",
  "state",
  "succeed",
  "task",
  "wait",
  "map",
  "errors",
];

type SchemaName = "state-machine" | "base-state-machine";

let ajvInstance: Ajv | undefined;
const compiled = new Map<SchemaName, Validate>();

/**
 * Compiles asl-validator's published JSON schemas (the `schemas` folder its package ships) with our
 * own Ajv: its validator function checks formats we check better ourselves, so we take only the
 * schemas and switch those formats off below.
 */
function validator(name: SchemaName): Validate {
  const known = compiled.get(name);
  if (known) return known;
  ajvInstance ??= newAjv();
  const v = ajvInstance.getSchema(`http://asl-validator.cloud/${name}.json#`) as
    | Validate
    | undefined;
  if (!v) throw new Error(`asl-validator's ${name} schema did not load`);
  compiled.set(name, v);
  return v;
}

function newAjv(): Ajv {
  const require = createRequire(import.meta.url);
  const schemaDir = join(
    dirname(require.resolve("asl-validator/package.json")),
    "dist/src/schemas",
  );
  const ajv = new Ajv({
    schemas: SCHEMAS.map((s) => JSON.parse(readFileSync(join(schemaDir, `${s}.json`), "utf8"))),
    allowUnionTypes: true,
  });
  addFormats(ajv);
  // Paths, JSONata and ARNs are checked by our own rules, with better messages.
  for (const f of [
    "jsonata_string",
    "maybe_jsonata_string",
    "asl_path",
    "asl_ref_path",
    "asl_payload_template",
    "asl_result_path",
    "asl_arn",
  ]) {
    ajv.addFormat(f, () => true);
  }
  return ajv;
}

/** The schema picks JSONPath or JSONata rules from each state's QueryLanguage, so fill it in. */
function withQueryLanguages(node: Json, language: string): Json {
  if (Array.isArray(node)) return node.map((n) => withQueryLanguages(n, language));
  if (!isObject(node)) return node;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "States" && isObject(v)) {
      const states: { [k: string]: Json } = {};
      for (const [name, s] of Object.entries(v)) {
        const filled = withQueryLanguages(s, language);
        states[name] =
          isObject(filled) && filled.QueryLanguage === undefined
            ? { ...filled, QueryLanguage: language }
            : filled;
      }
      out[k] = states;
    } else {
      out[k] = withQueryLanguages(v, language);
    }
  }
  return out;
}

/** Fields whose values asl-validator's schema constrains more tightly than AWS does. */
const LOOSER_ON_AWS = /\/(Output|Condition|ToleratedFailurePercentage|Type)$/;
/** Checked by our own rules (and QueryLanguage is filled in above, so the schema's view is ours). */
const OURS = /\/QueryLanguage$/;

export function schemaDiagnostics(definition: Json, covered: Diagnostic[]): Diagnostic[] {
  if (!isObject(definition)) return [];
  const language = definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath";
  const errors: AjvError[] = [];
  for (const piece of machinePieces(withQueryLanguages(definition, language) as JsonObject)) {
    const validate = validator(piece.schema);
    if (validate(piece.machine)) continue;
    for (const e of validate.errors ?? []) {
      errors.push({ ...e, instancePath: piece.at + e.instancePath });
    }
  }
  if (errors.length === 0) return [];
  // oneOf over state types reports every type's complaint; keep the deepest ones, like
  // asl-validator does, and one message per location.
  const deepest = Math.max(...errors.map((e) => e.instancePath.split("/").length));
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const location = e.instancePath;
    if (location.split("/").length !== deepest || seen.has(location)) continue;
    if (LOOSER_ON_AWS.test(location) || OURS.test(location)) continue;
    const state = location.match(/^(.*\/States\/[^/]+)/)?.[1] ?? location;
    if (covered.some((d) => d.location?.startsWith(state))) continue;
    seen.add(location);
    out.push({
      severity: "ERROR",
      code: "SCHEMA_VALIDATION_FAILED",
      message: `${location ? `The value at ${location}` : "The definition"} ${e.message ?? "does not match the schema"}; check this field against the Amazon States Language specification.`,
      location,
    });
  }
  return out;
}

interface Piece {
  /** JSON pointer of this machine in the definition ("" for the top level). */
  at: string;
  machine: JsonObject;
  schema: SchemaName;
}

/**
 * The definition's machines one by one, each with its nested machines (Parallel branches, Map
 * processors) replaced by a minimal valid one. The schema's `oneOf` over state types (and, inside
 * each, over JSONPath and JSONata) validates a nested machine once per alternative, which is
 * exponential in the nesting depth (20 nested Parallels took half a minute); validated apart,
 * every machine is checked once.
 */
function machinePieces(top: JsonObject): Piece[] {
  const pieces: Piece[] = [];
  const visit = (machine: JsonObject, at: string, schema: SchemaName): void => {
    const states = machine.States;
    if (!isObject(states)) {
      pieces.push({ at, machine, schema });
      return;
    }
    const stubbed: { [k: string]: Json } = {};
    for (const [name, state] of Object.entries(states)) {
      if (!isObject(state)) {
        stubbed[name] = state;
        continue;
      }
      const here = pointer(at, "States", name);
      const copy: { [k: string]: Json } = { ...state };
      if (Array.isArray(state.Branches)) {
        copy.Branches = state.Branches.map((branch, i) => {
          if (!isObject(branch)) return branch;
          visit(branch, `${here}/Branches/${i}`, "state-machine");
          return stub(branch);
        });
      }
      for (const field of ["ItemProcessor", "Iterator"]) {
        const inner = state[field];
        if (isObject(inner)) {
          visit(inner, `${here}/${field}`, "base-state-machine");
          copy[field] = stub(inner);
        }
      }
      stubbed[name] = copy;
    }
    pieces.push({ at, machine: { ...machine, States: stubbed }, schema });
  };
  visit(top, "", "state-machine");
  return pieces;
}

/** `machine` with one Succeed state instead of its own (checked as a piece of its own). */
function stub(machine: JsonObject): JsonObject {
  const states = machine.States;
  const first = isObject(states) ? Object.values(states).find(isObject) : undefined;
  const language = first?.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath";
  return {
    ...machine,
    StartAt: "Stub",
    States: { Stub: { Type: "Succeed", QueryLanguage: language } },
  };
}
