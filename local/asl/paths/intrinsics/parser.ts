/**
 * Parser for intrinsic function calls (`States.Format('x {}', $.a)`): string literals in single
 * quotes with `\'`, `\{`, `\}`, `\\` escapes, JSON numbers, true/false/null, paths handed to the
 * engine as written, and nested calls. Grammar per AWS's "Intrinsic functions for JSONPath states".
 */
import type { Json } from "../../types.ts";

/** One part of a `States.Format` template: literal text, or `null` for a `{}` placeholder. */
export type TemplatePart = string | null;

export type IntrinsicArg =
  | {
      kind: "literal";
      value: Json;
      /** For string literals: the text split at unescaped `{}`; undefined when a brace is unpaired. */
      template?: TemplatePart[];
    }
  | { kind: "path"; path: string }
  | IntrinsicCall;

export interface IntrinsicCall {
  kind: "call";
  /** Full name, e.g. `States.Format`. */
  name: string;
  args: IntrinsicArg[];
  /** Offset of the call in the expression, for messages. */
  at: number;
}

/** A malformed intrinsic expression; `at` is the character offset of the problem. */
export class IntrinsicSyntaxError extends Error {
  override name = "IntrinsicSyntaxError";
  constructor(
    message: string,
    readonly at: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Why an intrinsic's arguments were rejected; the `cause` of AWS's terser StatesError. */
export class IntrinsicArgumentError extends Error {
  override name = "IntrinsicArgumentError";
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NAME = /States\.[A-Za-z0-9]+/y;
const KEYWORD = /(?:true|false|null)(?![A-Za-z0-9_$.])/y;

/** Parses a whole intrinsic expression; throws `IntrinsicSyntaxError` when it is malformed. */
export function parseIntrinsic(expression: string): IntrinsicCall {
  const p = new Parser(expression);
  p.skipSpace();
  const call = p.call();
  p.skipSpace();
  if (p.pos !== expression.length) {
    throw new IntrinsicSyntaxError(
      `unexpected '${expression.slice(p.pos, p.pos + 10)}' after the closing parenthesis`,
      p.pos,
    );
  }
  return call;
}

/** The deepest nesting of calls in a parsed expression (1 for a call without nested calls). */
export function callDepth(call: IntrinsicCall): number {
  let deepest = 0;
  for (const arg of call.args) if (arg.kind === "call") deepest = Math.max(deepest, callDepth(arg));
  return deepest + 1;
}

class Parser {
  pos = 0;
  constructor(readonly s: string) {}

  skipSpace(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos] as string)) this.pos++;
  }

  call(): IntrinsicCall {
    const at = this.pos;
    NAME.lastIndex = at;
    const m = NAME.exec(this.s);
    if (!m) throw new IntrinsicSyntaxError("expected a function name like States.Format", at);
    this.pos = NAME.lastIndex;
    this.skipSpace();
    if (this.s[this.pos] !== "(") {
      throw new IntrinsicSyntaxError(`expected '(' after ${m[0]}`, this.pos);
    }
    this.pos++;
    const args: IntrinsicArg[] = [];
    this.skipSpace();
    if (this.s[this.pos] === ")") {
      this.pos++;
      return { kind: "call", name: m[0], args, at };
    }
    for (;;) {
      this.skipSpace();
      args.push(this.arg());
      this.skipSpace();
      const c = this.s[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === ")") {
        this.pos++;
        return { kind: "call", name: m[0], args, at };
      }
      throw new IntrinsicSyntaxError(
        c === undefined ? `missing ')' to close ${m[0]}` : `expected ',' or ')' but found '${c}'`,
        this.pos,
      );
    }
  }

  arg(): IntrinsicArg {
    const c = this.s[this.pos];
    if (c === "'") return this.string();
    if (c === "$") return this.path();
    if (c === "S" && this.s.startsWith("States.", this.pos)) return this.call();
    KEYWORD.lastIndex = this.pos;
    const k = KEYWORD.exec(this.s);
    if (k) {
      this.pos = KEYWORD.lastIndex;
      return { kind: "literal", value: k[0] === "null" ? null : k[0] === "true" };
    }
    NUMBER.lastIndex = this.pos;
    const n = NUMBER.exec(this.s);
    if (n && !/[A-Za-z0-9_.]/.test(this.s[NUMBER.lastIndex] ?? "")) {
      this.pos = NUMBER.lastIndex;
      return { kind: "literal", value: Number(n[0]) };
    }
    throw new IntrinsicSyntaxError(
      c === undefined || c === ")" || c === ","
        ? "missing argument"
        : `invalid argument starting at '${this.s.slice(this.pos, this.pos + 10)}' (use 'quoted text', a number, true, false, null, a $ path or a States. call)`,
      this.pos,
    );
  }

  string(): IntrinsicArg {
    const start = this.pos;
    this.pos++;
    let value = "";
    // The Format template keeps escaped braces apart from placeholders.
    const template: TemplatePart[] = [];
    let text = "";
    let braceOk = true;
    for (;;) {
      const c = this.s[this.pos];
      if (c === undefined) throw new IntrinsicSyntaxError("unterminated string literal", start);
      if (c === "'") {
        this.pos++;
        break;
      }
      if (c === "\\") {
        const e = this.s[this.pos + 1];
        if (e !== "'" && e !== "{" && e !== "}" && e !== "\\") {
          throw new IntrinsicSyntaxError(
            `invalid escape '\\${e ?? ""}' in string literal (only \\', \\{, \\} and \\\\ are allowed)`,
            this.pos,
          );
        }
        value += e;
        text += e;
        this.pos += 2;
        continue;
      }
      if (c === "{" && this.s[this.pos + 1] === "}") {
        value += "{}";
        template.push(text, null);
        text = "";
        this.pos += 2;
        continue;
      }
      if (c === "{" || c === "}") braceOk = false;
      value += c;
      text += c;
      this.pos++;
    }
    template.push(text);
    return braceOk ? { kind: "literal", value, template } : { kind: "literal", value };
  }

  path(): IntrinsicArg {
    const start = this.pos;
    let depth = 0;
    let quote: string | undefined;
    while (this.pos < this.s.length) {
      const c = this.s[this.pos] as string;
      if (quote) {
        if (c === "\\") this.pos++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') {
        if (depth > 0) quote = c;
      } else if (c === "[" || c === "(") depth++;
      else if (c === "]" || c === ")") {
        if (depth === 0) break;
        depth--;
      } else if (c === "," && depth === 0) break;
      this.pos++;
    }
    const path = this.s.slice(start, this.pos).trimEnd();
    return { kind: "path", path };
  }
}
