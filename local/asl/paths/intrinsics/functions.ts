/**
 * The `States.*` intrinsic functions. Argument rules and limits follow AWS's documentation and what
 * AWS was observed to do where the documentation is silent: fractional integer arguments are
 * truncated (MathAdd rounds half up, as the recorded corpus shows), ArrayRange yields at most 1000
 * items, Base64 and Hash inputs are at most 10,000 characters, JsonMerge is shallow only.
 * A bad argument raises `States.Runtime` with the cause "Invalid arguments in States.<Name>", which
 * is the error AWS reports (its documentation names `States.IntrinsicFailure`, but executions fail
 * with `States.Runtime`); the specific reason travels as the error's `cause`.
 */
import { createHash } from "node:crypto";
import { StatesError } from "../../errors.ts";
import type { Json, JsonObject } from "../../types.ts";
import { javaRandomNextInt } from "./java-random.ts";
import { uniqueInJavaSetOrder } from "./json-set.ts";
import { IntrinsicArgumentError, type IntrinsicCall, type TemplatePart } from "./parser.ts";

/** The error name AWS reports when an intrinsic function fails at run time. */
export const INTRINSIC_ERROR = "States.Runtime";

export interface FunctionSpec {
  minArgs: number;
  maxArgs: number;
  run(args: Json[], call: IntrinsicCall, random: () => number): Json;
}

export function invalidArguments(name: string, detail: string): StatesError {
  return new StatesError(INTRINSIC_ERROR, `Invalid arguments in ${name}`, {
    cause: new IntrinsicArgumentError(`${name}: ${detail}`),
  });
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const MAX_STRING = 10_000;
const MAX_RANGE = 1000;
const HASHES: Record<string, string> = {
  MD5: "md5",
  "SHA-1": "sha1",
  "SHA-256": "sha256",
  "SHA-384": "sha384",
  "SHA-512": "sha512",
};

function isObject(v: Json): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function array(name: string, v: Json, what = "the first argument"): Json[] {
  if (!Array.isArray(v)) throw invalidArguments(name, `${what} must be an array`);
  return v;
}

function string(name: string, v: Json, what: string): string {
  if (typeof v !== "string") throw invalidArguments(name, `${what} must be a string`);
  return v;
}

function integer(name: string, v: Json, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw invalidArguments(name, `${what} must be a number`);
  }
  return Math.trunc(v) + 0;
}

/** A string argument re-encoded (Base64Encode: utf8 → base64, Base64Decode: the reverse). */
function recode(name: string, s: Json, from: BufferEncoding, to: BufferEncoding): string {
  return Buffer.from(limited(name, string(name, s, "the argument")), from).toString(to);
}

/** States.ArrayPartition: the array in chunks of `size` items (the last one shorter). */
function partition(a: Json, size: Json): Json[] {
  const name = "States.ArrayPartition";
  const [items, n] = arrayAndInteger(name, a, size, "the chunk size");
  if (n < 1) throw invalidArguments(name, "the chunk size must be at least 1");
  const out: Json[] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

/** An array argument and an integer one (ArrayPartition's size, ArrayGetItem's index). */
function arrayAndInteger(name: string, a: Json, n: Json, what: string): [Json[], number] {
  return [array(name, a), integer(name, n, what)];
}

function limited(name: string, s: string): string {
  if (s.length > MAX_STRING) {
    throw invalidArguments(name, `the input is ${s.length} characters; at most ${MAX_STRING}`);
  }
  return s;
}

/** `States.Format` renders arguments the way the Java runtime prints them. */
function formatValue(v: Json): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return `[${v.map(formatValue).join(", ")}]`;
  if (isObject(v)) {
    return `{${Object.entries(v)
      .map(([k, e]) => `${k}=${formatValue(e)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(v);
}

function templateOf(s: string): TemplatePart[] | undefined {
  const parts: TemplatePart[] = [];
  let text = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "{" && s[i + 1] === "}") {
      parts.push(text, null);
      text = "";
      i++;
    } else if (c === "{" || c === "}") return undefined;
    else text += c;
  }
  parts.push(text);
  return parts;
}

function withoutNegativeZero(v: Json): Json {
  if (typeof v === "number") return v + 0;
  if (Array.isArray(v)) return v.map(withoutNegativeZero);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, e] of Object.entries(v)) setOwn(out, k, withoutNegativeZero(e));
    return out;
  }
  return v;
}

/** Sets a key even when it is `__proto__`, which plain assignment would not. */
function setOwn(o: JsonObject, k: string, v: Json): void {
  if (k === "__proto__") {
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  } else o[k] = v;
}

/** ArrayContains compares scalars by their text (AWS matches `true` with `"true"`) and
 * containers by their serialisation (AWS does not match objects whose keys are reordered). */
function containsKey(v: Json): string {
  if (v === null) return "\u0000null";
  if (typeof v === "object") return `\u0000${JSON.stringify(v)}`;
  return String(v);
}

function uuidV4(random: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256) & 0xff);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Every supported intrinsic, by full name. */
export const FUNCTIONS: Record<string, FunctionSpec> = {
  "States.Format": {
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    run([template, ...values], call) {
      const name = "States.Format";
      const first = call.args[0];
      const parts =
        first?.kind === "literal"
          ? first.template
          : templateOf(string(name, template as Json, "the template (first argument)"));
      if (typeof template !== "string" || !parts) {
        throw invalidArguments(
          name,
          typeof template !== "string"
            ? "the template (first argument) must be a string"
            : "the template has an unescaped '{' or '}' (write \\{ or \\})",
        );
      }
      const holes = parts.filter((p) => p === null).length;
      if (holes !== values.length) {
        throw invalidArguments(
          name,
          `the template has ${holes} {} placeholder(s) but ${values.length} value(s) were given`,
        );
      }
      let i = 0;
      return parts.map((p) => (p === null ? formatValue(values[i++] as Json) : p)).join("");
    },
  },
  "States.StringToJson": {
    minArgs: 1,
    maxArgs: 1,
    run([s]) {
      const text = string("States.StringToJson", s as Json, "the argument");
      if (text.trim() === "") return null;
      try {
        return withoutNegativeZero(JSON.parse(text) as Json);
      } catch (error) {
        throw new StatesError(INTRINSIC_ERROR, "Invalid arguments in States.StringToJson", {
          cause: new IntrinsicArgumentError(
            `States.StringToJson: the argument is not valid JSON (${(error as Error).message})`,
            { cause: error },
          ),
        });
      }
    },
  },
  "States.JsonToString": {
    minArgs: 1,
    maxArgs: 1,
    run: ([v]) => JSON.stringify(v),
  },
  "States.Array": {
    minArgs: 0,
    maxArgs: Number.POSITIVE_INFINITY,
    run: (args) => args,
  },
  "States.ArrayPartition": {
    minArgs: 2,
    maxArgs: 2,
    run: ([a, size]) => partition(a as Json, size as Json),
  },
  "States.ArrayContains": {
    minArgs: 2,
    maxArgs: 2,
    run([a, v]) {
      const key = containsKey(v as Json);
      return array("States.ArrayContains", a as Json).some((e) => containsKey(e) === key);
    },
  },
  "States.ArrayRange": {
    minArgs: 3,
    maxArgs: 3,
    run([s, e, st]) {
      const name = "States.ArrayRange";
      const start = integer(name, s as Json, "the start");
      const end = integer(name, e as Json, "the end");
      const step = integer(name, st as Json, "the step");
      if (step === 0) throw invalidArguments(name, "the step must not be 0");
      const count = (end - start) / step < 0 ? 0 : Math.floor((end - start) / step) + 1;
      if (count > MAX_RANGE) {
        throw invalidArguments(name, `the range has ${count} items; at most ${MAX_RANGE}`);
      }
      return Array.from({ length: count }, (_, i) => start + i * step);
    },
  },
  "States.ArrayGetItem": {
    minArgs: 2,
    maxArgs: 2,
    run([a, i]) {
      const name = "States.ArrayGetItem";
      const [items, index] = arrayAndInteger(name, a as Json, i as Json, "the index");
      // AWS answers null for any index into an empty array, and fails otherwise out of range.
      if (items.length === 0) return null;
      if (index < 0 || index >= items.length) {
        throw invalidArguments(name, `index ${index} is out of range for ${items.length} item(s)`);
      }
      return items[index] as Json;
    },
  },
  "States.ArrayLength": {
    minArgs: 1,
    maxArgs: 1,
    run: ([a]) => array("States.ArrayLength", a as Json, "the argument").length,
  },
  "States.ArrayUnique": {
    minArgs: 1,
    maxArgs: 1,
    run: ([a]) => uniqueInJavaSetOrder(array("States.ArrayUnique", a as Json, "the argument")),
  },
  "States.Base64Encode": {
    minArgs: 1,
    maxArgs: 1,
    run: ([s]) => recode("States.Base64Encode", s as Json, "utf8", "base64"),
  },
  "States.Base64Decode": {
    minArgs: 1,
    maxArgs: 1,
    run: ([s]) => recode("States.Base64Decode", s as Json, "base64", "utf8"),
  },
  "States.Hash": {
    minArgs: 2,
    maxArgs: 2,
    run([data, algorithm]) {
      const name = "States.Hash";
      // AWS hashes the text of non-string data rather than rejecting it.
      const text = limited(name, typeof data === "string" ? data : JSON.stringify(data));
      const algo = HASHES[string(name, algorithm as Json, "the algorithm")];
      if (!algo) {
        throw invalidArguments(
          name,
          "the algorithm must be MD5, SHA-1, SHA-256, SHA-384 or SHA-512",
        );
      }
      return createHash(algo).update(text, "utf8").digest("hex");
    },
  },
  "States.JsonMerge": {
    minArgs: 3,
    maxArgs: 3,
    run([a, b, deep]) {
      const name = "States.JsonMerge";
      if (!isObject(a as Json) || !isObject(b as Json)) {
        throw invalidArguments(name, "the first two arguments must be JSON objects");
      }
      if (deep === true) throw invalidArguments(name, "deep merging is not supported; pass false");
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(a as JsonObject)) setOwn(out, k, v);
      for (const [k, v] of Object.entries(b as JsonObject)) setOwn(out, k, v);
      return out;
    },
  },
  "States.MathRandom": {
    minArgs: 2,
    maxArgs: 3,
    run([s, e, seed], _call, random) {
      const name = "States.MathRandom";
      const start = integer(name, s as Json, "the start");
      const end = integer(name, e as Json, "the end");
      if (start >= end) throw invalidArguments(name, "the start must be less than the end");
      if (end - start > INT32_MAX) throw invalidArguments(name, "the range is wider than 2^31 - 1");
      if (seed !== undefined) {
        return start + javaRandomNextInt(integer(name, seed, "the seed"), end - start);
      }
      return start + Math.floor(random() * (end - start));
    },
  },
  "States.MathAdd": {
    minArgs: 2,
    maxArgs: 2,
    run([a, b]) {
      const name = "States.MathAdd";
      const operand = (v: Json | undefined, what: string) => {
        if (typeof v !== "number" || !Number.isFinite(v)) {
          throw invalidArguments(name, `${what} must be a number`);
        }
        const r = Math.round(v) + 0;
        if (r < INT32_MIN || r > INT32_MAX) {
          throw invalidArguments(name, `${what} is outside the 32-bit integer range`);
        }
        return r;
      };
      const sum = operand(a, "the first value") + operand(b, "the second value");
      if (sum < INT32_MIN || sum > INT32_MAX) {
        throw invalidArguments(name, "the sum is outside the 32-bit integer range");
      }
      return sum + 0;
    },
  },
  "States.StringSplit": {
    minArgs: 2,
    maxArgs: 2,
    run([s, d]) {
      const name = "States.StringSplit";
      const text = string(name, s as Json, "the string");
      const delimiters = new Set(string(name, d as Json, "the delimiter"));
      const out: string[] = [];
      let token = "";
      for (const c of text) {
        if (delimiters.has(c)) {
          if (token) out.push(token);
          token = "";
        } else token += c;
      }
      if (token) out.push(token);
      return out;
    },
  },
  "States.UUID": {
    minArgs: 0,
    maxArgs: 0,
    run: (_args, _call, random) => uuidV4(random),
  },
};
