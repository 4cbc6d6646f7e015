/**
 * Runs one API case of the task corpus: its request script, step by step, through the unchanged
 * `@aws-sdk/client-sfn` against the wire API. A step expects success (`"ok"`) or an error whose
 * code must equal AWS's and whose message must match AWS's (placeholders aside). A parameter
 * `{"$ref": {"step": N, "path": [...]}}` is taken from the result of step N.
 */
import * as sdk from "@aws-sdk/client-sfn";
import type { ApiCase } from "./cases.ts";
import { type Bindings, difference, substitute } from "./placeholders.ts";
import { CORPUS_ENV, openSession } from "./sfn-session.ts";

export interface ApiVerdict {
  pass: boolean;
  diff?: string;
}

type Command = new (input: object) => Parameters<sdk.SFNClient["send"]>[0];

/** Runs and judges one API case. */
export async function runApiCase(raw: ApiCase): Promise<ApiVerdict> {
  const c = substitute(raw, CORPUS_ENV);
  const s = await openSession(c.functions);
  const results: unknown[] = [];
  const b: Bindings = { uuids: new Map(), executions: [] };
  try {
    for (const [i, step] of c.steps.entries()) {
      const Command = (sdk as unknown as Record<string, Command | undefined>)[`${step.op}Command`];
      if (!Command) return { pass: false, diff: `step ${i}: the SDK has no ${step.op}Command` };
      const params = resolveRefs(step.params, results) as object;
      let result: unknown;
      let error: { name: string; message: string } | undefined;
      try {
        result = await s.sfn.send(new Command(params));
      } catch (e) {
        error = e as { name: string; message: string };
      }
      results.push(result);
      if (step.expect === "ok") {
        if (error) {
          return { pass: false, diff: `step ${i} ${step.op}: ${error.name}: ${error.message}` };
        }
        continue;
      }
      if (!error)
        return { pass: false, diff: `step ${i} ${step.op}: succeeded, expected an error` };
      const d =
        difference(step.expect.error, error.name, b, `step ${i} ${step.op} error`) ??
        difference(step.expect.message, error.message, b, `step ${i} ${step.op} message`);
      if (d) return { pass: false, diff: d };
    }
    return { pass: true };
  } finally {
    await s.close();
  }
}

function resolveRefs(value: unknown, results: unknown[]): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, results));
  if (!value || typeof value !== "object") return value;
  const ref = (value as { $ref?: { step: number; path: string[] } }).$ref;
  if (ref) {
    let out: unknown = results[ref.step];
    for (const key of ref.path) out = (out as Record<string, unknown> | undefined)?.[key];
    return out;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, results)]));
}
