/**
 * ItemSelector of a Distributed Map, applied by the runtime to each item it reads: the same
 * evaluation as an inline Map's (payload template in JSONPath, JSONata template in JSONata), with
 * `$$.Map.Item.Index` / `$$.Map.Item.Value` (or `$states.context.Map.Item`) set for the item and
 * the state's input, context and variables as they were when the Map state started (the plan).
 */
import { compileJsonataTemplate } from "../../paths/jsonata.ts";
import { compilePayloadTemplate } from "../../paths/payload-template.ts";
import { nextRandom, nextUuid, seedPrng } from "../../prng.ts";
import type { Json, JsonObject } from "../../types.ts";
import type { MapRunPlan } from "./plan.ts";

export type ItemSelectorFn = (index: number, value: Json) => Json | Promise<Json>;

/** The plan's ItemSelector as a function of (index, item); the identity when there is none. */
export function itemSelector(plan: MapRunPlan): ItemSelectorFn {
  const sel = plan.selector;
  if (!sel) return (_i, value) => value;
  // Randomness (States.UUID, $random) from a seed of the Map Run: the same on a resumed run.
  const rng = seedPrng(`${plan.mapRunArn}\nItemSelector`);
  const scopeFor = (index: number, value: Json) => {
    const context: JsonObject = { ...sel.context, Map: { Item: { Index: index, Value: value } } };
    return {
      input: sel.input,
      vars: sel.vars,
      context: () => context,
      random: () => nextRandom(rng),
      uuid: () => nextUuid(rng),
    };
  };
  if (sel.ql === "JSONata") {
    const t = compileJsonataTemplate(sel.template, "ItemSelector");
    return (index, value) => t.evaluate(scopeFor(index, value));
  }
  const t = compilePayloadTemplate(sel.template);
  return (index, value) => t.evaluate(scopeFor(index, value));
}
