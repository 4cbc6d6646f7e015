/**
 * The task corpus's Lambda functions, by behaviour id (`conformance/aws-recorded-tasks/README.md`,
 * "Function behaviours"), as in-process handlers. The recordings were made with Python Lambdas,
 * so the functions are registered with `runtime: "python"`: the runtime then shapes their errors
 * and sizes their responses as Lambda's Python runtime does.
 */
import type { Clock, FunctionConfig, FunctionMap } from "../../../local/sfn/index.ts";

/** `str()` of a value parsed from JSON, as Python prints it (`{'a': 1, 'b': True}`). */
export function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return pythonNumber(value);
  if (typeof value === "string") return pythonRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonStr).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${pythonRepr(k)}: ${pythonStr(v)}`).join(", ")}}`;
}

function pythonNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  const s = String(n);
  // Python writes exponents with two digits at least and a sign: 1e+16, 1e-07.
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

/** Python's `repr()` of a string: single quotes unless the text has one and no double quote. */
function pythonRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}

/** An error of a given Python type (`raise CustomException()`: the name, an empty message). */
class RaisedError extends Error {
  constructor(type: string, message: string) {
    super(message);
    this.name = type;
  }
}

/** The handler for one behaviour id; `clock` is what `sleep:<s>` sleeps on. */
export function behaviour(id: string, clock: Clock): FunctionConfig {
  const python = (handler: FunctionConfig["handler"]): FunctionConfig => ({
    handler,
    runtime: "python",
    timeoutSeconds: 900,
  });
  if (id === "identity") return python(async (event) => event);
  if (id === "echo") return python(async () => ({ Return: "HelloWorld" }));
  if (id === "decorate-input") return python(async (event) => `input-event-${pythonStr(event)}`);
  if (id === "large-output") return python(async () => "a".repeat(257 * 1024));
  if (id === "token-sink") return python(async () => null);
  if (id.startsWith("raise:")) {
    const [, type = "Exception", ...message] = id.split(":");
    return python(async () => {
      throw new RaisedError(type, message.join(":"));
    });
  }
  if (id.startsWith("sleep:")) {
    const ms = Number(id.slice("sleep:".length)) * 1000;
    return python(
      (event) =>
        new Promise((resolve) => {
          clock.schedule(clock.now() + ms, () => resolve(event));
        }),
    );
  }
  if (id.startsWith("return-raw:")) {
    const raw = JSON.parse(id.slice("return-raw:".length)) as unknown;
    return python(async () => raw);
  }
  throw new Error(
    `unknown function behaviour '${id}' (see conformance/aws-recorded-tasks/README.md)`,
  );
}

/** The case's functions (name → behaviour id) as a function map for `createRuntime`. */
export function functionsOf(functions: Record<string, string>, clock: Clock): FunctionMap {
  return Object.fromEntries(
    Object.entries(functions).map(([name, id]) => [name, behaviour(id, clock)]),
  );
}
