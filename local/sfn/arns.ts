/**
 * ARNs and the input checks Step Functions applies to names and JSON payloads, with AWS's error
 * names (`InvalidArn`, `InvalidName`, `InvalidExecutionInput`, `InvalidOutput`).
 */
import type { Json } from "../asl/types.ts";
import { jsonTooDeep, MAX_PAYLOAD_BYTES, tooDeepMessage, tooLong, utf8Over } from "./api/limits.ts";
import { InvalidArn, InvalidName, ValidationException } from "./errors.ts";

export { MAX_PAYLOAD_BYTES };

export interface Account {
  region: string;
  accountId: string;
}

export function stateMachineArn(a: Account, name: string): string {
  return `arn:aws:states:${a.region}:${a.accountId}:stateMachine:${name}`;
}

export function executionArn(
  a: Account,
  machineName: string,
  name: string,
  express?: string,
): string {
  if (express)
    return `arn:aws:states:${a.region}:${a.accountId}:express:${machineName}:${name}:${express}`;
  return `arn:aws:states:${a.region}:${a.accountId}:execution:${machineName}:${name}`;
}

const MACHINE_ARN =
  /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:([^:]+)(?::(\d+|[^:]+))?$/;
const EXECUTION_ARN =
  /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:(execution|express):([^:]+):([^:]+)(?::[^:]+)?$/;

/** Name and optional version/alias qualifier of a state machine ARN; InvalidArn otherwise. */
export function parseStateMachineArn(arn: unknown, field = "stateMachineArn") {
  const m = typeof arn === "string" ? MACHINE_ARN.exec(arn) : null;
  // AWS's words for a string that is no ARN at all (recorded: PublishStateMachineVersion).
  if (!m && typeof arn === "string" && !arn.startsWith("arn:"))
    throw new InvalidArn(`Invalid Arn: 'Invalid ARN prefix: ${arn}'`);
  if (!m)
    throw new InvalidArn(`Invalid Arn: '${String(arn)}' is not a state machine ARN (${field})`);
  return { name: m[1] as string, qualifier: m[2] };
}

/** Checks an execution ARN's shape; InvalidArn otherwise. */
export function checkExecutionArn(arn: unknown, field = "executionArn"): string {
  // AWS's words for a string that is no ARN at all (recorded: DescribeExecution).
  if (typeof arn === "string" && !arn.startsWith("arn:"))
    throw new InvalidArn(`Invalid Arn: 'Invalid ARN prefix: ${arn}'`);
  if (typeof arn !== "string" || !EXECUTION_ARN.test(arn)) {
    throw new InvalidArn(`Invalid Arn: '${String(arn)}' is not an execution ARN (${field})`);
  }
  return arn;
}

// AWS: 1-80 characters; no whitespace, brackets, wildcards, special characters or controls.
const BAD_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const hasControl = (s: string) =>
  [...s].some((c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });

/** A name AWS accepts for a state machine, execution or activity. */
export function isValidName(name: unknown): name is string {
  return (
    typeof name === "string" &&
    name.length >= 1 &&
    name.length <= 80 &&
    !BAD_NAME.test(name) &&
    !hasControl(name)
  );
}

export function checkName(name: unknown, field: string): string {
  if (!isValidName(name)) {
    throw new InvalidName(
      `Invalid Name: '${String(name)}' (${field} must be 1-80 characters without whitespace, brackets, wildcards or special characters)`,
    );
  }
  return name;
}

/**
 * Parses a JSON payload string: ValidationException (AWS's length constraint on the member) when
 * it is larger than 256 KiB, `makeError` (InvalidExecutionInput / InvalidOutput) when it is not
 * JSON or nests too deep (`api/limits.ts`).
 */
export function parsePayload(
  text: unknown,
  field: string,
  makeError: new (message: string) => Error,
  fallback = "{}",
): { json: Json; text: string } {
  const raw = text === undefined || text === null ? fallback : text;
  if (typeof raw !== "string") throw new ValidationException(`${field} must be a JSON string`);
  if (utf8Over(raw, MAX_PAYLOAD_BYTES)) throw tooLong(field, MAX_PAYLOAD_BYTES);
  if (jsonTooDeep(raw)) throw new makeError(`Invalid ${field}: ${tooDeepMessage("the document")}`);
  try {
    return { json: JSON.parse(raw) as Json, text: raw };
  } catch (error) {
    throw new makeError(
      `Invalid ${field}: ${(error as Error).message}; send a JSON document such as "{}"`,
    );
  }
}

export function requireString(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new ValidationException(
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}
