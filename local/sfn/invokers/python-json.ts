/**
 * Python's `json.dumps` with its defaults (`", "` and `": "` separators, non-ASCII escaped), for
 * functions registered with `runtime: "python"`: Lambda's Python runtime serializes a handler's
 * return this way, and the size of that text is the Invoke response's Content-Length.
 */
import type { Json } from "../../asl/types.ts";

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

function pythonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    const code = s.charCodeAt(i);
    const escaped = ESCAPES[ch];
    if (escaped) out += escaped;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** `json.dumps(value)` as Python writes it. */
export function pythonJsonDumps(value: Json): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return JSON.stringify(value);
  if (typeof value === "string") return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  const parts = Object.entries(value).map(([k, v]) => `${pythonString(k)}: ${pythonJsonDumps(v)}`);
  return `{${parts.join(", ")}}`;
}
