/**
 * Loads `stacks/order-saga.asl.json` and fills its `${...}` placeholders — the one way both the SST
 * stacks (function ARNs from Pulumi outputs) and the local platform (local ARNs) turn the file into
 * a definition. Dependency-free on purpose (node:fs only), so infrastructure code can import it.
 *
 * A placeholder left unfilled, or a value given for a placeholder the file does not have, is an
 * error naming it: a definition with `${ChargePaymentFunctionArn}` in it would deploy and then fail
 * on the first order.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The Lambda functions the saga invokes, by SST / local function name. */
export const SAGA_FUNCTIONS = [
  "ValidateOrder",
  "ReserveStock",
  "RequestApproval",
  "ChargePayment",
  "ShipOrder",
  "NotifyCustomer",
  "RefundPayment",
  "ReleaseStock",
  "MarkOrderFailed",
] as const;
export type SagaFunction = (typeof SAGA_FUNCTIONS)[number];

/** Where the definition lives (absolute). */
export const SAGA_DEFINITION_PATH = fileURLToPath(
  new URL("../../stacks/order-saga.asl.json", import.meta.url),
);

/** A definition's placeholder is missing from the values, or a value matches no placeholder. */
export class PlaceholderError extends Error {
  override name = "PlaceholderError";
}

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The placeholder names in a definition text, e.g. `ChargePaymentFunctionArn`. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}

/**
 * Replaces every `${Name}` in `text` with `values[Name]`; throws `PlaceholderError` listing any
 * placeholder without a value and any value without a placeholder. Values are JSON-string-escaped,
 * since placeholders sit inside JSON strings.
 */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  const wanted = placeholdersOf(text);
  const missing = wanted.filter((name) => typeof values[name] !== "string");
  const unknown = Object.keys(values).filter((name) => !wanted.includes(name));
  if (missing.length || unknown.length) {
    throw new PlaceholderError(
      [
        missing.length
          ? `no value for placeholder(s) ${missing.map((n) => `\${${n}}`).join(", ")}`
          : "",
        unknown.length
          ? `value(s) given for placeholder(s) not in the definition: ${unknown.join(", ")}`
          : "",
      ]
        .filter(Boolean)
        .join("; "),
    );
  }
  return text.replace(PLACEHOLDER, (_, name: string) =>
    JSON.stringify(values[name] as string).slice(1, -1),
  );
}

/** `{ ValidateOrderFunctionArn: arnOf("ValidateOrder"), ... }` for every saga function. */
export function sagaPlaceholderValues(
  arnOf: (name: SagaFunction) => string,
): Record<string, string> {
  return Object.fromEntries(SAGA_FUNCTIONS.map((name) => [`${name}FunctionArn`, arnOf(name)]));
}

/** The local platform's ARN of a function: `arn:aws:lambda:us-east-1:000000000000:function:<Name>`. */
export function localFunctionArn(
  name: string,
  region = "us-east-1",
  account = "000000000000",
): string {
  return `arn:aws:lambda:${region}:${account}:function:${name}`;
}

/**
 * The saga definition as JSON text with placeholders filled. `values` defaults to the local ARNs.
 */
export function loadSagaDefinition(
  values: Record<string, string> = sagaPlaceholderValues((name) => localFunctionArn(name)),
  path: string = SAGA_DEFINITION_PATH,
): string {
  return fillPlaceholders(readFileSync(path, "utf8"), values);
}
