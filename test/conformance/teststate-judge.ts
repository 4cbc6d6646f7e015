/**
 * Reads the AWS-recorded TestState corpus (`conformance/aws-recorded-teststate`) and judges an
 * answer against a case as its README says, with STRICT scoring: status, error, cause and
 * nextState present exactly when recorded and equal; output and every JSON-text field of
 * inspectionData compared by value (numbers by value, object key sets exact, array order exact);
 * inspectionData present exactly when recorded, and a field AWS did not return is a difference.
 * Tokens: `${region}` / `${account}` / `${role}` are substituted, `${any}` matches any value (or
 * any text inside a string), `${uuid:K}` any UUID, the same one wherever K repeats.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export interface TestStateCase {
  name: string;
  file: string;
  request: JsonObject;
  outcome: "response" | "rejected";
  expected: JsonObject;
}

export interface Substitutions {
  region: string;
  account: string;
  role: string;
}

/** Every case of the corpus folder, with its request's tokens substituted. */
export function loadTestStateCases(dir: string, subs: Substitutions): TestStateCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !f.startsWith("_"))
    .sort()
    .map((f) => {
      const c = JSON.parse(readFileSync(join(dir, f), "utf8")) as JsonObject;
      return {
        name: c.name as string,
        file: f,
        request: substitute(c.request as Json, subs) as JsonObject,
        outcome: c.outcome as "response" | "rejected",
        expected: substitute(c.expected as Json, subs) as JsonObject,
      };
    });
}

function substitute(v: Json, s: Substitutions): Json {
  if (typeof v === "string") {
    return v
      .replaceAll("${region}", s.region)
      .replaceAll("${account}", s.account)
      .replaceAll("${role}", s.role);
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, s));
  if (v !== null && typeof v === "object") {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = substitute(x, s);
    return out;
  }
  return v;
}

/** What the API answered: a TestStateOutput, or an error with its name, message and status. */
export type Answer =
  | { kind: "response"; body: Record<string, unknown> }
  | { kind: "rejected"; name: string; message: string; status?: number };

const JSON_TEXT_FIELDS = new Set([
  "input",
  "afterInputPath",
  "afterParameters",
  "afterArguments",
  "result",
  "afterResultSelector",
  "afterResultPath",
  "afterItemsPath",
  "afterItemSelector",
  "afterItemBatcher",
  "afterItemsPointer",
  "variables",
]);

/** The differences between an answer and the case (empty: the case passes). */
export function judgeTestState(c: TestStateCase, answer: Answer): string[] {
  const diffs: string[] = [];
  const uuids = new Map<string, string>();
  const exp = c.expected;
  if (c.outcome === "rejected") {
    if (answer.kind !== "rejected") return [`expected ${exp.error} but the call succeeded`];
    if (answer.name !== exp.error) diffs.push(`error name ${answer.name} ≠ ${exp.error}`);
    if (answer.message !== exp.message) {
      diffs.push(`message ${JSON.stringify(answer.message)} ≠ ${JSON.stringify(exp.message)}`);
    }
    if (exp.http_status !== undefined && answer.status !== exp.http_status) {
      diffs.push(`HTTP status ${answer.status} ≠ ${exp.http_status}`);
    }
    return diffs;
  }
  if (answer.kind !== "response") return [`rejected: ${answer.name}: ${answer.message}`];
  const body = answer.body;
  for (const key of ["status", "error", "nextState"] as const) {
    if (body[key] !== exp[key]) diffs.push(`${key} ${show(body[key])} ≠ ${show(exp[key])}`);
  }
  if ((body.cause === undefined) !== (exp.cause === undefined)) {
    diffs.push(`cause ${show(body.cause)} ≠ ${show(exp.cause)}`);
  } else if (exp.cause !== undefined) {
    const actual = typeof exp.cause === "string" ? body.cause : parse(body.cause);
    match(actual as Json, exp.cause as Json, "cause", diffs, uuids);
  }
  if ((body.output === undefined) !== (exp.output === undefined)) {
    diffs.push(`output ${show(body.output)} ≠ ${show(exp.output)}`);
  } else if (exp.output !== undefined) {
    match(parse(body.output), exp.output as Json, "output", diffs, uuids);
  }
  const inspection = body.inspectionData as Record<string, unknown> | undefined;
  const expInspection = exp.inspectionData as JsonObject | undefined;
  if ((inspection === undefined) !== (expInspection === undefined)) {
    diffs.push(`inspectionData ${show(inspection)} ≠ ${show(expInspection)}`);
  } else if (inspection && expInspection) {
    const keys = new Set([...Object.keys(inspection), ...Object.keys(expInspection)]);
    for (const k of keys) {
      const a = inspection[k];
      const e = expInspection[k];
      if (e === undefined) diffs.push(`inspectionData.${k} not recorded by AWS: ${show(a)}`);
      else if (a === undefined) diffs.push(`inspectionData.${k} missing; AWS: ${show(e)}`);
      else
        match(
          JSON_TEXT_FIELDS.has(k) ? parse(a) : (a as Json),
          e,
          `inspectionData.${k}`,
          diffs,
          uuids,
        );
    }
  }
  return diffs;
}

function parse(v: unknown): Json {
  if (typeof v !== "string") return v as Json;
  try {
    return JSON.parse(v) as Json;
  } catch {
    return `<not JSON: ${v}>`;
  }
}

function show(v: unknown): string {
  return v === undefined ? "(absent)" : JSON.stringify(v);
}

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

function match(a: Json, e: Json, at: string, diffs: string[], uuids: Map<string, string>): void {
  if (e === "${any}") return;
  if (typeof e === "string") {
    if (typeof a !== "string" || !stringMatches(a, e, uuids)) {
      diffs.push(`${at}: ${show(a)} ≠ ${show(e)}`);
    }
    return;
  }
  if (typeof e === "number") {
    if (typeof a !== "number" || a !== e) diffs.push(`${at}: ${show(a)} ≠ ${e}`);
    return;
  }
  if (Array.isArray(e)) {
    if (!Array.isArray(a) || a.length !== e.length) {
      diffs.push(`${at}: ${show(a)} ≠ ${show(e)}`);
      return;
    }
    for (let i = 0; i < e.length; i++)
      match(a[i] as Json, e[i] as Json, `${at}[${i}]`, diffs, uuids);
    return;
  }
  if (e !== null && typeof e === "object") {
    if (a === null || typeof a !== "object" || Array.isArray(a)) {
      diffs.push(`${at}: ${show(a)} ≠ ${show(e)}`);
      return;
    }
    const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
    for (const k of keys) {
      if (!(k in e)) diffs.push(`${at}.${k} not recorded by AWS: ${show(a[k])}`);
      else if (!(k in a)) diffs.push(`${at}.${k} missing; AWS: ${show(e[k])}`);
      else match(a[k] as Json, e[k] as Json, `${at}.${k}`, diffs, uuids);
    }
    return;
  }
  if (a !== e) diffs.push(`${at}: ${show(a)} ≠ ${show(e)}`);
}

function stringMatches(a: string, e: string, uuids: Map<string, string>): boolean {
  if (!e.includes("${")) return a === e;
  const pattern = e
    .split(/(\$\{any\}|\$\{uuid:[^}]+\})/)
    .map((part) => {
      if (part === "${any}") return "([\\s\\S]*)";
      const m = /^\$\{uuid:([^}]+)\}$/.exec(part);
      if (m) return `(${UUID})`;
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  const found = new RegExp(`^${pattern}$`).exec(a);
  if (!found) return false;
  // Each ${uuid:K} must be the same UUID wherever K appears.
  let group = 1;
  for (const part of e.split(/(\$\{any\}|\$\{uuid:[^}]+\})/)) {
    if (part === "") continue;
    if (part === "${any}") {
      group++;
      continue;
    }
    const m = /^\$\{uuid:([^}]+)\}$/.exec(part);
    if (m) {
      const v = found[group++] as string;
      const seen = uuids.get(m[1] as string);
      if (seen !== undefined && seen !== v) return false;
      uuids.set(m[1] as string, v);
    }
  }
  return true;
}
