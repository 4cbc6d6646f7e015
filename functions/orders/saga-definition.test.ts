import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { compile } from "../../local/asl/index.ts";
import {
  fillPlaceholders,
  loadSagaDefinition,
  PlaceholderError,
  placeholdersOf,
  SAGA_DEFINITION_PATH,
  SAGA_FUNCTIONS,
} from "./saga-definition.ts";

// asl-validator is CommonJS without type declarations.
const aslValidator = createRequire(import.meta.url)("asl-validator") as (definition: unknown) => {
  isValid: boolean;
  errorsText(separator?: string): string;
};

describe("the order saga definition", () => {
  const raw = readFileSync(SAGA_DEFINITION_PATH, "utf8");

  it("has placeholders only for the saga's function ARNs", () => {
    expect(placeholdersOf(raw)).toEqual(SAGA_FUNCTIONS.map((f) => `${f}FunctionArn`).sort());
  });

  it("loads with local ARNs, no placeholder left, and validates with asl-validator and the engine", async () => {
    const text = loadSagaDefinition();

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
