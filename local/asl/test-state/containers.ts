/**
 * Map and Parallel states under TestState. Their iterations and branches never run: the mock
 * stands for what they returned (an array, or a ResultWriter's object), or for the error they
 * raised. What runs is the state's own data flow — InputPath, ItemsPath / Items, ItemSelector,
 * MaxConcurrency and the tolerated-failure thresholds, then ResultSelector, ResultPath, OutputPath
 * or Output — and, with `mapIterationFailureCount`, the threshold check that fails the state with
 * `States.ExceedToleratedFailureThreshold` as a Distributed Map run would.
 */
import { StatesError } from "../errors.ts";
import type { Json, JsonObject } from "../types.ts";
import { complete, inputPath, mockedError } from "./evaluate.ts";
import { readItemReaderData } from "./item-reader.ts";
import { type Run, readNumber, type StepOutcome, scopeOf } from "./run.ts";

/** AWS's cause when more iterations failed than the Map tolerates. */
const THRESHOLD_CAUSE = "The specified tolerated failure threshold was exceeded";

export async function evaluateMap(run: Run): Promise<StepOutcome> {
  const st = run.state;
  const insp = run.inspection;
  let effective: Json = run.input;
  let items: Json | undefined;
  const readerData = run.config.mapItemReaderData;
  if (st.ql === "JSONPath") {
    effective = inputPath(run, st, run.input);
    insp.afterInputPath = effective;
  }
  if (run.raw.ItemReader !== undefined && readerData !== undefined) {
    items = readItemReaderData(run.raw.ItemReader, readerData);
  } else if (st.ql === "JSONPath") {
    items = st.itemsPath ? st.itemsPath.get(scopeOf(run, effective)) : effective;
    if (!Array.isArray(items)) {
      // Recorded on AWS for `"ItemsPath": "$$.Execution.Input"`: the path is shown from its root.
      const shown = (st.itemsPath?.source ?? "$").replace(/^\$\$/, "$");
      throw new StatesError("States.Runtime", `Reference path "${shown}" must point to array.`);
    }
    insp.afterItemsPath = items;
  } else if (run.raw.ItemReader === undefined) {
    items = st.items ? await st.items.evaluate(scopeOf(run, run.input)) : run.input;
    if (!Array.isArray(items)) {
      throw new StatesError(
        "States.QueryEvaluationError",
        `Map state input must be an array but was: ${JSON.stringify(items ?? null)}`,
      );
    }
  }
  if (Array.isArray(items) && (st.itemSelector || st.itemSelectorJsonata)) {
    insp.afterItemSelector = await selectItems(run, effective, items);
  }
  insp.maxConcurrency = st.maxConcurrency
    ? await readNumber(run, st.maxConcurrency, effective, "integer")
    : 0;
  let toleratedCount: number | undefined;
  let toleratedPercentage: number | undefined;
  if (st.toleratedCount) {
    toleratedCount = await readNumber(run, st.toleratedCount, effective, "integer");
    if (toleratedCount < 0) {
      throw new StatesError("States.Runtime", "ToleratedFailureCount cannot be negative.");
    }
    insp.toleratedFailureCount = toleratedCount;
  }
  if (st.toleratedPercentage) {
    toleratedPercentage = await readNumber(run, st.toleratedPercentage, effective, "float");
    if (toleratedPercentage < 0 || toleratedPercentage > 100) {
      throw new StatesError(
        "States.Runtime",
        "ToleratedFailurePercentage must be between 0 and 100.",
      );
    }
    insp.toleratedFailurePercentage = toleratedPercentage;
  }
  if (run.mock?.kind === "error") return mockedError(run);
  const result = run.mock?.kind === "result" ? run.mock.result : [];
  const failures = run.config.mapIterationFailureCount ?? 0;
  const iterations = Array.isArray(result) ? result.length : 0;
  if (exceeds(failures, iterations, toleratedCount, toleratedPercentage)) {
    return {
      kind: "error",
      error: "States.ExceedToleratedFailureThreshold",
      cause: THRESHOLD_CAUSE,
      catchable: true,
    };
  }
  return complete(run, result);
}

/**
 * Whether `failures` of `iterations` exceed the thresholds. Without a threshold the count is not
 * checked: AWS answered SUCCEEDED for a Map without ToleratedFailure* and 2 failures recorded.
 */
function exceeds(
  failures: number,
  iterations: number,
  count: number | undefined,
  percentage: number | undefined,
): boolean {
  if (count === undefined && percentage === undefined) return false;
  if (count !== undefined && failures <= count) return false;
  if (percentage !== undefined) {
    const failed = iterations === 0 ? 0 : (failures * 100) / iterations;
    if (failed <= percentage) return false;
  }
  return true;
}

/** Each item through ItemSelector (with `$$.Map.Item`), as the iterations would receive them. */
async function selectItems(run: Run, effective: Json, items: Json[]): Promise<Json[]> {
  const st = run.state;
  const out: Json[] = [];
  for (let i = 0; i < items.length; i++) {
    const mapContext: JsonObject = { Map: { Item: { Index: i, Value: items[i] as Json } } };
    if (st.itemSelector) {
      out.push(st.itemSelector.evaluate(scopeOf(run, effective, { context: mapContext })));
    } else if (st.itemSelectorJsonata) {
      out.push(
        await st.itemSelectorJsonata.evaluate(scopeOf(run, run.input, { context: mapContext })),
      );
    }
  }
  return out;
}

export async function evaluateParallel(run: Run): Promise<StepOutcome> {
  const st = run.state;
  // The branches' input is evaluated for its errors; AWS reports neither step for Parallel.
  if (st.ql === "JSONata") {
    if (st.arguments) await st.arguments.evaluate(scopeOf(run, run.input));
  } else {
    const effective = inputPath(run, st, run.input);
    if (st.parameters) st.parameters.evaluate(scopeOf(run, effective));
  }
  if (run.mock?.kind === "error") return mockedError(run);
  return complete(run, run.mock?.kind === "result" ? run.mock.result : []);
}
