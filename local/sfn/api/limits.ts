/**
 * The quotas Step Functions enforces on what a request carries, checked before anything is stored
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html): definitions up to
 * 1 MiB, inputs and outputs up to 256 KiB of UTF-8, role ARNs that name an IAM role, and JSON
 * nested no deeper than the engine can walk (a 5,000-deep document is refused with AWS's error
 * for the member, never a stack overflow).
 */
import { InvalidArn, ValidationException } from "../errors.ts";

/** "Maximum size of a state machine definition: 1 MB" (a hard quota; the member's max length). */
export const MAX_DEFINITION_BYTES = 1_048_576;
/** "Maximum input or output size for a task, state, or execution: 256 KiB of UTF-8". */
export const MAX_PAYLOAD_BYTES = 262_144;
/**
 * JSON nesting depth accepted in a definition or a payload. AWS documents none; its JSON parser
 * (Jackson) refuses documents deeper than 1,000 levels by default, and the engine walks values
 * recursively in places, so a bound keeps one request from overflowing the stack.
 */
export const MAX_JSON_DEPTH = 1000;
/** A standard execution's history quota (a hard one): the execution fails at event 25,000. */
export const MAX_HISTORY_EVENTS = 25_000;

/**
 * AWS's wording for a member over its length quota. Definitions, inputs and outputs are sensitive
 * members: AWS leaves their value out of the message.
 */
export function tooLong(field: string, max: number): InstanceType<typeof ValidationException> {
  return new ValidationException(
    `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
  );
}

/** UTF-8 length of `text`, counted only when it could be over `max`. */
export function utf8Over(text: string, max: number): boolean {
  // A UTF-16 unit is at most 3 UTF-8 bytes, and at least 1.
  if (text.length * 3 <= max) return false;
  return text.length > max || Buffer.byteLength(text, "utf8") > max;
}

/** ValidationException when the definition text is over 1 MiB. */
export function checkDefinitionSize(text: string): void {
  if (utf8Over(text, MAX_DEFINITION_BYTES)) throw tooLong("definition", MAX_DEFINITION_BYTES);
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/**
 * An IAM role ARN (`arn:aws:iam::<12 digits>:role/<path/name>`), else AWS's `InvalidArn`
 * "Invalid Role Arn: '<value>'" (the answer CreateStateMachine gives on AWS).
 */
export function checkRoleArn(value: unknown): string {
  if (typeof value !== "string" || !ROLE_ARN.test(value)) {
    throw new InvalidArn(
      `Invalid Role Arn: '${String(value)}' (roleArn must be an IAM role ARN such as arn:aws:iam::123456789012:role/my-role)`,
    );
  }
  return value;
}

/**
 * Whether JSON `text` nests deeper than `max` (objects and arrays), by a scan of its brackets
 * outside strings: no parse, no recursion. Texts too short to be that deep are not scanned.
 */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  if (text.length <= 2 * max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}

/** Whether a JSON value nests deeper than `max`, walked without recursion. */
export function valueTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  if (value === null || typeof value !== "object") return false;
  const stack: Array<{ v: object; depth: number }> = [{ v: value, depth: 1 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop() as { v: object; depth: number };
    if (depth > max) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) {
      if (child !== null && typeof child === "object") stack.push({ v: child, depth: depth + 1 });
    }
  }
  return false;
}

/** The message for a document nested too deep (the wording of Jackson's own limit). */
export function tooDeepMessage(what: string, max = MAX_JSON_DEPTH): string {
  return `${what} nests deeper than the maximum allowed (${max} levels of objects and arrays)`;
}
