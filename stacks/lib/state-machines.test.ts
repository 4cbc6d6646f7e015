import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { compile } from "../../local/asl/index.ts";
import { localDefinition } from "../../local/platform/functions.ts";
import { placeholderFor, STATE_MACHINES } from "../topology.ts";
import { PlaceholderError } from "./errors.ts";
import { definitionSource, fillPlaceholders, placeholdersOf } from "./state-machines.ts";

// asl-validator is CommonJS without type declarations.
const aslValidator = createRequire(import.meta.url)("asl-validator") as (definition: unknown) => {
  isValid: boolean;
  errorsText(separator?: string): string;
};

describe("the order saga definition", () => {
  const saga = STATE_MACHINES.find((m) => m.name === "OrderSaga")!;
  const raw = definitionSource(saga);

  it("has placeholders only for the saga's task functions in the topology", () => {
    expect(placeholdersOf(raw)).toEqual(saga.tasks.map(placeholderFor).sort());
  });

  it("loads with local ARNs, no placeholder left, and validates with asl-validator and the engine", async () => {
    const text = localDefinition(saga);

    expect(text).not.toMatch(/\$\{/);
    expect(text).toContain("arn:aws:lambda:us-east-1:000000000000:function:ChargePayment");
    const definition = JSON.parse(text);
    const { isValid, errorsText } = aslValidator(structuredClone(definition));
    expect(isValid, errorsText("\n")).toBe(true);
    expect(() => compile(definition)).not.toThrow();
    expect(definition.QueryLanguage).toBe("JSONata");
  });

  it("names a placeholder left without a value, and a value with no placeholder", () => {
    const fill = () => fillPlaceholders('{"a":"${One}","b":"${Two}"}', { One: "x", Three: "y" });

    expect(fill).toThrow(PlaceholderError);
    expect(fill).toThrow(/no value for placeholder\(s\) \$\{Two\}.*not in the definition: Three/);
  });

  it("escapes values for the JSON strings they land in", () => {
    expect(JSON.parse(fillPlaceholders('{"a":"${One}"}', { One: 'q"uote' }))).toEqual({
      a: 'q"uote',
    });
  });
});
