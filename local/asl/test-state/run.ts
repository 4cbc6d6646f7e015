/**
 * What one TestState evaluation carries (the state, its input and variables, the context object,
 * the mock, what it has inspected so far) and the evaluation scope its paths, templates and JSONata
 * expressions read: the same scope contract the engine's states use, over the tested context.
 */

import type { CompiledState, NumberSource } from "../model.ts";
import type { JsonataScope } from "../paths/jsonata.ts";
import type { TemplateScope } from "../paths/payload-template.ts";
import { nextRandom, nextUuid, type PrngState } from "../prng.ts";
import { checkedNumber } from "../states/numbers.ts";
import type { Json, JsonObject } from "../types.ts";
import type { InspectionData, TestStateConfiguration, TestStateServices } from "./types.ts";

/** The mock, parsed: a result or an error. */
export type ParsedMock =
  | { kind: "result"; result: Json }
  | { kind: "error"; error?: string; cause?: string };

export interface Run {
  state: CompiledState;
  /** The state's definition as sent (ItemReader / ResultWriter included). */
  raw: JsonObject;
  input: Json;
  /** Variables in scope; Assign writes here. */
  vars: Record<string, Json>;
  context: JsonObject;
  rng: PrngState;
  mock: ParsedMock | undefined;
  config: TestStateConfiguration;
  roleArn: string | undefined;
  services: TestStateServices;
  /** Everything inspected, whatever the level; the level decides what is returned. */
  inspection: InspectionData;
}

/** How the state's own work ended, before Retry and Catch. */
export type StepOutcome =
  | { kind: "ok"; output: Json; next: string | undefined }
  | { kind: "error"; error?: string; cause?: string; catchable: boolean };

/** A scope for paths, templates and JSONata expressions of the tested state. */
class TestScope implements TemplateScope, JsonataScope {
  readonly vars: Record<string, Json>;
  constructor(
    private readonly run: Run,
    readonly input: Json,
    readonly result: Json | undefined,
    readonly errorOutput: Json | undefined,
    private readonly extra: JsonObject | undefined,
  ) {
    this.vars = run.vars;
  }
  context(): Json {
    return this.extra ? { ...this.run.context, ...this.extra } : this.run.context;
  }
  random(): number {
    return nextRandom(this.run.rng);
  }
  uuid(): string {
    return nextUuid(this.run.rng);
  }
}

/** A scope over `input` (and the result or error output, for JSONata Output and Assign). */
export function scopeOf(
  run: Run,
  input: Json,
  more?: { result?: Json; errorOutput?: Json; context?: JsonObject },
): TestScope {
  return new TestScope(run, input, more?.result, more?.errorOutput, more?.context);
}

/** Applies assigned variables (after the state's other fields were evaluated, as AWS does). */
export function assignVars(run: Run, assigned: Json | undefined): void {
  if (assigned === undefined || assigned === null || typeof assigned !== "object") return;
  if (Array.isArray(assigned)) return;
  for (const k in assigned) run.vars[k] = assigned[k] as Json;
}

/**
 * A number given literally, by path (JSONPath, on `input`) or by JSONata: TimeoutSeconds,
 * MaxConcurrency, ToleratedFailureCount... Same messages as the engine's.
 */
export async function readNumber(
  run: Run,
  src: NumberSource,
  input: Json,
  kind: "integer" | "float",
): Promise<number> {
  let v: Json | undefined;
  if (src.kind === "literal") v = src.value;
  else if (src.kind === "path") v = src.path.get(scopeOf(run, input));
  else v = await src.expr.evaluate(scopeOf(run, run.input));
  return checkedNumber(src, v, kind);
}
