/**
 * Compiles a validated ASL definition into the engine's model: every JSONPath, payload template,
 * intrinsic and JSONata expression is parsed here, once, so that running a state only evaluates.
 * Problems found while compiling become AWS-shaped diagnostics naming the state and field.
 */
import { DefinitionError } from "./errors.ts";
import type {
  Assigner,
  CompiledCatcher,
  CompiledChoice,
  CompiledGraph,
  CompiledMachine,
  CompiledRetrier,
  CompiledState,
  NumberSource,
  StateType,
  StringSource,
} from "./model.ts";
import { compileJsonataTemplate, isJsonataExpression } from "./paths/jsonata.ts";
import { compilePath } from "./paths/jsonpath.ts";
import { compileDynamicValue, compilePayloadTemplate } from "./paths/payload-template.ts";
import { compileRule } from "./states/choice-rules.ts";
import { compileDistributed } from "./states/distributed/spec.ts";
import type { CompileOptions, Diagnostic, Json, JsonObject, QueryLanguage } from "./types.ts";
import { STATE_TYPES as KNOWN_STATE_TYPES } from "./validate/fields.ts";
import { validateDefinition } from "./validate.ts";

const STATE_TYPES: ReadonlySet<string> = new Set(KNOWN_STATE_TYPES);

class Compiler {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly options: CompileOptions) {}

  error(location: string, message: string, code = "SCHEMA_VALIDATION_FAILED"): void {
    this.diagnostics.push({ severity: "ERROR", code, message, location });
  }

  /** Runs `f`, turning a thrown error into a diagnostic at `location`. */
  guard<T>(location: string, field: string, f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      this.error(location, `Invalid value for field '${field}': ${(e as Error).message}`);
      return undefined;
    }
  }

  graph(def: JsonObject, at: string, inheritedQl: QueryLanguage): CompiledGraph {
    const ql = (def.QueryLanguage as QueryLanguage | undefined) ?? inheritedQl;
    const states = new Map<string, CompiledState>();
    const rawStates = (def.States ?? {}) as JsonObject;
    if (typeof def.StartAt !== "string")
      this.error(at || "/", "StartAt is required", "MISSING_START_AT");
    else if (!Object.hasOwn(rawStates, def.StartAt)) {
      this.error(
        `${at}/StartAt`,
        `StartAt '${def.StartAt}' is not a state`,
        "MISSING_TRANSITION_TARGET",
      );
    }
    for (const [name, raw] of Object.entries(rawStates)) {
      const state = this.state(name, raw as JsonObject, `${at}/States/${name}`, ql);
      if (state) states.set(name, state);
    }
    for (const s of states.values()) {
      const targets = [
        s.next,
        s.default,
        ...(s.choices ?? []).map((c) => c.next),
        ...s.catch.map((c) => c.next),
      ];
      for (const t of targets) {
        if (t !== undefined && !states.has(t)) {
          this.error(
            `${at}/States/${s.name}`,
            `Next '${t}' in state '${s.name}' is not a state`,
            "MISSING_TRANSITION_TARGET",
          );
        }
      }
    }
    for (const s of states.values()) if (s.next !== undefined) s.nextState = states.get(s.next);
    return { startAt: def.StartAt as string, states, ql };
  }

  state(
    name: string,
    raw: JsonObject,
    at: string,
    inheritedQl: QueryLanguage,
  ): CompiledState | undefined {
    const type = raw.Type as StateType;
    if (!STATE_TYPES.has(type)) {
      this.error(`${at}/Type`, `State '${name}' has an unknown Type '${String(raw.Type)}'`);
      return undefined;
    }
    const ql = (raw.QueryLanguage as QueryLanguage | undefined) ?? inheritedQl;
    const s: CompiledState = {
      name,
      type,
      enteredEvent: `${type}StateEntered`,
      exitedEvent: `${type}StateExited`,
      ql,
      raw,
      next: typeof raw.Next === "string" ? raw.Next : undefined,
      end: raw.End === true || type === "Succeed" || type === "Fail",
      retry: [],
      catch: [],
      usesContext: false,
    };
    if (ql === "JSONPath") this.jsonPathIo(s, raw, at);
    else this.jsonataIo(s, raw, at);
    if (raw.Assign !== undefined) s.assign = this.assigner(raw.Assign, ql, `${at}/Assign`);
    if (Array.isArray(raw.Retry))
      s.retry = raw.Retry.map((r, i) => this.retrier(r as JsonObject, `${at}/Retry/${i}`));
    if (Array.isArray(raw.Catch)) {
      s.catch = raw.Catch.map((c, i) => this.catcher(c as JsonObject, ql, `${at}/Catch/${i}`));
    }
    switch (type) {
      case "Pass":
        if (raw.Result !== undefined) {
          s.result = raw.Result;
          s.resultText = JSON.stringify(raw.Result);
          if (s.resultKeyText !== undefined)
            s.resultFieldText = `,${s.resultKeyText}${s.resultText}`;
        }
        break;
      case "Task":
        this.task(s, raw, at);
        break;
      case "Choice":
        this.choice(s, raw, at);
        break;
      case "Wait":
        this.wait(s, raw, at);
        break;
      case "Fail":
        s.error = this.stringSource(raw, "Error", ql, at);
        s.cause = this.stringSource(raw, "Cause", ql, at);
        break;
      case "Map":
        this.map(s, raw, at, ql);
        break;
      case "Parallel":
        if (!Array.isArray(raw.Branches))
          this.error(`${at}/Branches`, `Parallel state '${name}' needs Branches`);
        s.branches = ((raw.Branches ?? []) as JsonObject[]).map((b, i) =>
          this.graph(b, `${at}/Branches/${i}`, ql),
        );
        break;
    }
    s.resultInPlace =
      type === "Pass" &&
      ql === "JSONPath" &&
      s.result !== undefined &&
      s.resultKeyText !== undefined &&
      s.outputPath === undefined &&
      s.resultSelector === undefined &&
      s.retry.length === 0 &&
      s.catch.length === 0;
    if (!s.end && type !== "Choice" && s.next === undefined) {
      this.error(at, `State '${name}' needs Next or End`, "MISSING_TRANSITION_TARGET");
    }
    return s;
  }

  jsonPathIo(s: CompiledState, raw: JsonObject, at: string): void {
    if (raw.InputPath !== undefined) {
      s.inputPath =
        raw.InputPath === null
          ? null
          : this.guard(`${at}/InputPath`, "InputPath", () => compilePath(raw.InputPath as string));
    }
    if (raw.OutputPath !== undefined) {
      s.outputPath =
        raw.OutputPath === null
          ? null
          : this.guard(`${at}/OutputPath`, "OutputPath", () =>
              compilePath(raw.OutputPath as string),
            );
    }
    if (raw.ResultPath !== undefined) {
      if (raw.ResultPath === null) s.resultPath = null;
      else s.resultPath = this.resultPathSteps(raw.ResultPath, `${at}/ResultPath`);
      const key = s.resultPath?.length === 1 ? s.resultPath[0] : undefined;
      if (typeof key === "string" && !/^(0|[1-9]\d*)$/.test(key)) {
        s.resultKeyText = `${JSON.stringify(key)}:`;
      }
    }
    if (raw.Parameters !== undefined && s.type !== "Map") {
      s.parameters = this.guard(`${at}/Parameters`, "Parameters", () =>
        compilePayloadTemplate(raw.Parameters as Json),
      );
    }
    if (raw.ResultSelector !== undefined) {
      s.resultSelector = this.guard(`${at}/ResultSelector`, "ResultSelector", () =>
        compilePayloadTemplate(raw.ResultSelector as Json),
      );
    }
    s.usesContext = !!(s.parameters?.usesContext || s.resultSelector?.usesContext);
  }

  resultPathSteps(v: Json, at: string): (string | number)[] | undefined {
    const p = this.guard(at, "ResultPath", () => compilePath(v as string, false));
    if (!p) return undefined;
    if (!p.steps || p.root !== "input") {
      this.error(at, "ResultPath must be a definite reference path such as $.result");
      return undefined;
    }
    return p.steps;
  }

  jsonataIo(s: CompiledState, raw: JsonObject, at: string): void {
    for (const f of [
      "InputPath",
      "OutputPath",
      "ResultPath",
      "Parameters",
      "ResultSelector",
      "ItemsPath",
    ]) {
      if (raw[f] !== undefined)
        this.error(
          `${at}/${f}`,
          `The field '${f}' is not supported in JSONata states; use Arguments/Output/Items`,
        );
    }
    if (raw.Arguments !== undefined)
      s.arguments = this.jsonata(raw.Arguments, "Arguments", `${at}/Arguments`);
    if (raw.Output !== undefined) s.output = this.jsonata(raw.Output, "Output", `${at}/Output`);
  }

  jsonata(v: Json, field: string, at: string) {
    return this.guard(at, field, () => compileJsonataTemplate(v, field));
  }

  assigner(v: Json, ql: QueryLanguage, at: string): Assigner | undefined {
    if (ql === "JSONata") {
      const t = this.jsonata(v, "Assign", at);
      return t && { ql, template: t };
    }
    const t = this.guard(at, "Assign", () => compilePayloadTemplate(v));
    return t && { ql, template: t };
  }

  retrier(r: JsonObject, at: string): CompiledRetrier {
    if (!Array.isArray(r.ErrorEquals))
      this.error(`${at}/ErrorEquals`, "A retrier needs ErrorEquals");
    return {
      errorEquals: (r.ErrorEquals ?? []) as string[],
      intervalSeconds: (r.IntervalSeconds as number | undefined) ?? 1,
      maxAttempts: (r.MaxAttempts as number | undefined) ?? 3,
      backoffRate: (r.BackoffRate as number | undefined) ?? 2,
      maxDelaySeconds: r.MaxDelaySeconds as number | undefined,
      jitter: r.JitterStrategy === "FULL" ? "FULL" : "NONE",
    };
  }

  catcher(c: JsonObject, ql: QueryLanguage, at: string): CompiledCatcher {
    if (!Array.isArray(c.ErrorEquals))
      this.error(`${at}/ErrorEquals`, "A catcher needs ErrorEquals");
    if (typeof c.Next !== "string") this.error(`${at}/Next`, "A catcher needs Next");
    const out: CompiledCatcher = {
      errorEquals: (c.ErrorEquals ?? []) as string[],
      next: c.Next as string,
    };
    if (c.ResultPath !== undefined)
      out.resultPath =
        c.ResultPath === null ? null : this.resultPathSteps(c.ResultPath, `${at}/ResultPath`);
    if (ql === "JSONata" && c.Output !== undefined)
      out.output = this.jsonata(c.Output, "Output", `${at}/Output`);
    if (c.Assign !== undefined) out.assign = this.assigner(c.Assign, ql, `${at}/Assign`);
    return out;
  }

  numberSource(
    raw: JsonObject,
    field: string,
    ql: QueryLanguage,
    at: string,
  ): NumberSource | undefined {
    const v = raw[field];
    if (ql === "JSONata" && isJsonataExpression(v)) {
      const expr = this.jsonata(v, field, `${at}/${field}`);
      return expr && { kind: "jsonata", expr, field };
    }
    if (typeof v === "number") return { kind: "literal", value: v, field };
    if (v !== undefined) {
      this.error(`${at}/${field}`, `${field} must be a number`);
      return undefined;
    }
    const pv = raw[`${field}Path`];
    if (typeof pv === "string") {
      const path = this.guard(`${at}/${field}Path`, `${field}Path`, () => compilePath(pv));
      return path && { kind: "path", path, field: `${field}Path` };
    }
    return undefined;
  }

  stringSource(
    raw: JsonObject,
    field: string,
    ql: QueryLanguage,
    at: string,
  ): StringSource | undefined {
    const v = raw[field];
    if (ql === "JSONata" && isJsonataExpression(v)) {
      const expr = this.jsonata(v, field, `${at}/${field}`);
      return expr && { kind: "jsonata", expr, field };
    }
    if (typeof v === "string") return { kind: "literal", value: v };
    const pv = raw[`${field}Path`];
    if (typeof pv === "string") {
      const d = this.guard(`${at}/${field}Path`, `${field}Path`, () =>
        compileDynamicValue(pv, `${field}Path`),
      );
      if (!d) return undefined;
      return {
        kind: "path",
        path: compilePath("$"),
        intrinsic: { dynamic: true, usesContext: d.usesContext, evaluate: d.fn },
        field: `${field}Path`,
      };
    }
    return undefined;
  }

  task(s: CompiledState, raw: JsonObject, at: string): void {
    if (typeof raw.Resource !== "string") {
      this.error(`${at}/Resource`, `Task state '${s.name}' needs a Resource`);
      return;
    }
    s.resource = raw.Resource;
    if (this.options.type === "EXPRESS" && /\.(waitForTaskToken|sync)(:\d+)?$/.test(s.resource)) {
      const pattern = s.resource.endsWith(".waitForTaskToken") ? ".waitForTaskToken" : ".sync";
      this.error(
        `${at}/Resource`,
        `Express state machine does not support '${pattern}' service integration pattern`,
      );
    }
    if (this.options.isKnownResource && !this.options.isKnownResource(s.resource)) {
      this.error(
        `${at}/Resource`,
        this.options.unknownResourceReason?.(s.resource) ??
          `Task state '${s.name}' uses a resource this runtime cannot run: '${s.resource}'`,
        "INVALID_RESOURCE",
      );
    }
    s.timeout = this.numberSource(raw, "TimeoutSeconds", s.ql, at);
    s.heartbeat = this.numberSource(raw, "HeartbeatSeconds", s.ql, at);
  }

  choice(s: CompiledState, raw: JsonObject, at: string): void {
    if (!Array.isArray(raw.Choices) || raw.Choices.length === 0) {
      this.error(`${at}/Choices`, `Choice state '${s.name}' needs a non-empty Choices array`);
      s.choices = [];
    } else {
      s.choices = raw.Choices.map((c, i) =>
        this.choiceRule(c as JsonObject, s.ql, `${at}/Choices/${i}`),
      ).filter((c): c is CompiledChoice => c !== undefined);
    }
    if (typeof raw.Default === "string") s.default = raw.Default;
    s.end = false;
  }

  choiceRule(c: JsonObject, ql: QueryLanguage, at: string): CompiledChoice | undefined {
    if (typeof c.Next !== "string") this.error(`${at}/Next`, "A choice rule needs Next");
    const out: Partial<CompiledChoice> = { next: c.Next as string };
    if (ql === "JSONata") {
      const expr =
        c.Condition === undefined
          ? undefined
          : this.jsonata(c.Condition, "Condition", `${at}/Condition`);
      if (!expr) {
        if (c.Condition === undefined)
          this.error(`${at}/Condition`, "A JSONata choice rule needs Condition");
        return undefined;
      }
      out.test = { kind: "jsonata", expr };
      if (c.Output !== undefined) out.output = this.jsonata(c.Output, "Output", `${at}/Output`);
    } else {
      const test = this.guard(at, "Choices", () => compileRule(c));
      if (!test) return undefined;
      out.test = { kind: "jsonpath", test };
    }
    if (c.Assign !== undefined) out.assign = this.assigner(c.Assign, ql, `${at}/Assign`);
    return out as CompiledChoice;
  }

  wait(s: CompiledState, raw: JsonObject, at: string): void {
    s.waitSeconds = this.numberSource(raw, "Seconds", s.ql, at);
    if (raw.Timestamp !== undefined || raw.TimestampPath !== undefined) {
      if (s.ql === "JSONPath" && typeof raw.TimestampPath === "string") {
        const path = this.guard(`${at}/TimestampPath`, "TimestampPath", () =>
          compilePath(raw.TimestampPath as string),
        );
        if (path) s.waitTimestamp = { kind: "path", path, field: "TimestampPath" };
      } else s.waitTimestamp = this.stringSource(raw, "Timestamp", s.ql, at);
    }
    if (!s.waitSeconds && !s.waitTimestamp) {
      this.error(
        at,
        `Wait state '${s.name}' needs one of Seconds, SecondsPath, Timestamp, TimestampPath`,
      );
    }
  }

  map(s: CompiledState, raw: JsonObject, at: string, ql: QueryLanguage): void {
    const proc = (raw.ItemProcessor ?? raw.Iterator) as JsonObject | undefined;
    if (!proc || typeof proc !== "object") {
      this.error(`${at}/ItemProcessor`, `Map state '${s.name}' needs ItemProcessor`);
      return;
    }
    const cfg = proc.ProcessorConfig as JsonObject | undefined;
    s.distributed = cfg?.Mode === "DISTRIBUTED";
    s.distributedSpec = compileDistributed(this, s.name, raw, proc, ql, at, s.distributed);
    s.processor = this.graph(proc, `${at}/${raw.ItemProcessor ? "ItemProcessor" : "Iterator"}`, ql);
    const selector = raw.ItemSelector ?? raw.Parameters;
    if (ql === "JSONPath") {
      if (typeof raw.ItemsPath === "string") {
        s.itemsPath = this.guard(`${at}/ItemsPath`, "ItemsPath", () =>
          compilePath(raw.ItemsPath as string),
        );
      }
      if (selector !== undefined) {
        s.itemSelector = this.guard(`${at}/ItemSelector`, "ItemSelector", () =>
          compilePayloadTemplate(selector as Json),
        );
      }
    } else {
      if (raw.Items !== undefined) s.items = this.jsonata(raw.Items, "Items", `${at}/Items`);
      if (selector !== undefined)
        s.itemSelectorJsonata = this.jsonata(selector, "ItemSelector", `${at}/ItemSelector`);
    }
    s.maxConcurrency = this.numberSource(raw, "MaxConcurrency", ql, at);
    s.toleratedCount = this.numberSource(raw, "ToleratedFailureCount", ql, at);
    s.toleratedPercentage = this.numberSource(raw, "ToleratedFailurePercentage", ql, at);
    s.usesContext = true;
  }
}

/**
 * Validates and compiles a definition (object or JSON text).
 * @throws DefinitionError with AWS-shaped diagnostics naming state and field.
 */
export function compileDefinition(
  definition: unknown,
  options: CompileOptions = {},
): CompiledMachine {
  let def = definition;
  if (typeof def === "string") {
    try {
      def = JSON.parse(def);
    } catch (e) {
      throw new DefinitionError(
        [{ severity: "ERROR", code: "INVALID_JSON_DESCRIPTION", message: (e as Error).message }],
        { cause: e },
      );
    }
  }
  if (def === null || typeof def !== "object" || Array.isArray(def)) {
    throw new DefinitionError([
      {
        severity: "ERROR",
        code: "INVALID_JSON_DESCRIPTION",
        message: "The definition must be a JSON object",
      },
    ]);
  }
  const validation = validateDefinition(def, options).filter((d) => d.severity === "ERROR");
  if (validation.length > 0) throw new DefinitionError(validation);
  const c = new Compiler(options);
  const obj = def as JsonObject;
  const root = c.graph(obj, "", (obj.QueryLanguage as QueryLanguage | undefined) ?? "JSONPath");
  if (c.diagnostics.length > 0) throw new DefinitionError(c.diagnostics);
  return {
    definition: obj,
    type: options.type ?? "STANDARD",
    root,
    timeoutSeconds: executionTimeout(obj.TimeoutSeconds, options.type),
  };
}

/**
 * The execution's time limit: its TimeoutSeconds; an EXPRESS execution ends after five minutes
 * at most, with `States.Timeout` ("Express Workflows can run for up to five minutes",
 * docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html).
 */
function executionTimeout(raw: unknown, type: CompileOptions["type"]): number | undefined {
  const own = typeof raw === "number" ? raw : undefined;
  if (type !== "EXPRESS") return own;
  return own === undefined ? EXPRESS_MAX_SECONDS : Math.min(own, EXPRESS_MAX_SECONDS);
}

const EXPRESS_MAX_SECONDS = 300;
