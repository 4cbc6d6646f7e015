/**
 * Condition and update expressions of the in-memory DynamoDB (see memory-dynamodb.ts), evaluated
 * on raw AttributeValue items. Follows the grammar in the DynamoDB developer guide ("Condition and
 * filter expressions, operators, and functions"; "Update expressions"); parsed once per distinct
 * expression text and cached.
 */

/** A raw AttributeValue (`{S}`, `{N}`, `{BOOL}`, `{M}`, `{L}`, `{SS}`, `{NS}`, `{NULL}`, ...). */
// biome-ignore lint/suspicious/noExplicitAny: raw wire values of every AttributeValue shape
export type AttributeValue = Record<string, any>;
export type Item = Record<string, AttributeValue>;

export interface ExprContext {
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

/** A malformed expression or one that cannot apply to the item (DynamoDB's ValidationException). */
export class ExpressionError extends Error {
  override name = "ValidationException";
}

type Path = (string | number)[];
type Operand = { t: "path"; path: Path } | { t: "val"; name: string } | { t: "size"; path: Path };
type Cond =
  | { t: "or" | "and"; a: Cond; b: Cond }
  | { t: "not"; a: Cond }
  | { t: "cmp"; op: string; l: Operand; r: Operand }
  | { t: "in"; l: Operand; list: Operand[] }
  | { t: "between"; l: Operand; lo: Operand; hi: Operand }
  | { t: "fn"; name: string; args: Operand[] };
type Value =
  | Operand
  | { t: "arith"; op: "+" | "-"; a: Value; b: Value }
  | { t: "ifne"; path: Path; v: Value }
  | { t: "append"; a: Value; b: Value };
interface Update {
  set: { path: Path; v: Value }[];
  remove: Path[];
  add: { path: Path; v: Operand }[];
  del: { path: Path; v: Operand }[];
}

const TOKEN =
  /\s*(#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*|\d+|<>|<=|>=|[()[\],.=<>+-])/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m)
      throw new ExpressionError(`Invalid expression: unexpected "${text.slice(at, at + 10)}"`);
    out.push(m[1] as string);
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: string[]) {}
  peek(): string | undefined {
    return this.tokens[this.i];
  }
  kw(word: string): boolean {
    if (this.peek()?.toUpperCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(token: string): void {
    if (this.tokens[this.i] !== token) {
      throw new ExpressionError(
        `Invalid expression: expected "${token}" but found "${this.peek() ?? "end"}"`,
      );
    }
    this.i++;
  }
  done(): void {
    if (this.i < this.tokens.length)
      throw new ExpressionError(`Invalid expression: unexpected "${this.peek()}"`);
  }
  cond(): Cond {
    let a = this.and();
    while (this.kw("OR")) a = { t: "or", a, b: this.and() };
    return a;
  }
  and(): Cond {
    let a = this.not();
    while (this.kw("AND")) a = { t: "and", a, b: this.not() };
    return a;
  }
  not(): Cond {
    if (this.kw("NOT")) return { t: "not", a: this.not() };
    return this.primary();
  }
  primary(): Cond {
    if (this.peek() === "(") {
      this.i++;
      const c = this.cond();
      this.expect(")");
      return c;
    }
    const word = this.peek() ?? "";
    if (
      /^(attribute_exists|attribute_not_exists|attribute_type|begins_with|contains)$/.test(word) &&
      this.tokens[this.i + 1] === "("
    ) {
      this.i += 2;
      const args = [this.operand()];
      while (this.peek() === ",") {
        this.i++;
        args.push(this.operand());
      }
      this.expect(")");
      return { t: "fn", name: word, args };
    }
    const l = this.operand();
    if (this.kw("IN")) {
      this.expect("(");
      const list = [this.operand()];
      while (this.peek() === ",") {
        this.i++;
        list.push(this.operand());
      }
      this.expect(")");
      return { t: "in", l, list };
    }
    if (this.kw("BETWEEN")) {
      const lo = this.operand();
      if (!this.kw("AND")) throw new ExpressionError("Invalid expression: BETWEEN needs AND");
      return { t: "between", l, lo, hi: this.operand() };
    }
    const op = this.peek() ?? "";
    if (!["=", "<>", "<", "<=", ">", ">="].includes(op)) {
      throw new ExpressionError(
        `Invalid expression: expected a comparator but found "${op || "end"}"`,
      );
    }
    this.i++;
    return { t: "cmp", op, l, r: this.operand() };
  }
  operand(): Operand {
    const tok = this.peek() ?? "";
    if (tok.startsWith(":")) {
      this.i++;
      return { t: "val", name: tok };
    }
    if (tok === "size" && this.tokens[this.i + 1] === "(") {
      this.i += 2;
      const path = this.path();
      this.expect(")");
      return { t: "size", path };
    }
    return { t: "path", path: this.path() };
  }
  path(): Path {
    const first = this.peek() ?? "";
    if (!/^(#|[A-Za-z_])/.test(first))
      throw new ExpressionError(
        `Invalid expression: expected an attribute but found "${first || "end"}"`,
      );
    this.i++;
    const path: Path = [first];
    for (;;) {
      if (this.peek() === ".") {
        this.i++;
        path.push(this.tokens[this.i++] ?? "");
      } else if (this.peek() === "[") {
        this.i++;
        path.push(Number(this.tokens[this.i++]));
        this.expect("]");
      } else return path;
    }
  }
  value(): Value {
    let a = this.term();
    while (this.peek() === "+" || this.peek() === "-") {
      const op = this.tokens[this.i++] as "+" | "-";
      a = { t: "arith", op, a, b: this.term() };
    }
    return a;
  }
  term(): Value {
    const word = this.peek();
    if (word === "if_not_exists" && this.tokens[this.i + 1] === "(") {
      this.i += 2;
      const path = this.path();
      this.expect(",");
      const v = this.value();
      this.expect(")");
      return { t: "ifne", path, v };
    }
    if (word === "list_append" && this.tokens[this.i + 1] === "(") {
      this.i += 2;
      const a = this.value();
      this.expect(",");
      const b = this.value();
      this.expect(")");
      return { t: "append", a, b };
    }
    return this.operand();
  }
  update(): Update {
    const u: Update = { set: [], remove: [], add: [], del: [] };
    while (this.peek() !== undefined) {
      if (this.kw("SET")) {
        do {
          const path = this.path();
          this.expect("=");
          u.set.push({ path, v: this.value() });
        } while (this.peek() === "," && ++this.i);
      } else if (this.kw("REMOVE")) {
        do u.remove.push(this.path());
        while (this.peek() === "," && ++this.i);
      } else if (this.kw("ADD")) {
        do u.add.push({ path: this.path(), v: this.operand() });
        while (this.peek() === "," && ++this.i);
      } else if (this.kw("DELETE")) {
        do u.del.push({ path: this.path(), v: this.operand() });
        while (this.peek() === "," && ++this.i);
      } else throw new ExpressionError(`Invalid UpdateExpression: unexpected "${this.peek()}"`);
    }
    return u;
  }
}

const condCache = new Map<string, Cond>();
const updateCache = new Map<string, Update>();

function resolve(path: Path, c: ExprContext): Path {
  return path.map((p) => {
    if (typeof p === "string" && p.startsWith("#")) {
      const name = c.names[p];
      if (name === undefined)
        throw new ExpressionError(
          `An expression attribute name used in the document path is not defined; attribute name: ${p}`,
        );
      return name;
    }
    return p;
  });
}

function get(item: Item, path: Path): AttributeValue | undefined {
  let cur: AttributeValue | undefined = { M: item };
  for (const p of path) {
    if (cur === undefined) return undefined;
    cur = typeof p === "number" ? cur.L?.[p] : cur.M?.[p];
  }
  return cur;
}

function put(item: Item, path: Path, value: AttributeValue | undefined): void {
  let parent: AttributeValue = { M: item };
  for (let k = 0; k < path.length - 1; k++) {
    const p = path[k] as string | number;
    const next: AttributeValue | undefined = typeof p === "number" ? parent.L?.[p] : parent.M?.[p];
    if (!next)
      throw new ExpressionError(
        "The document path provided in the update expression is invalid for update",
      );
    parent = next;
  }
  const last = path[path.length - 1] as string | number;
  const container = typeof last === "number" ? parent.L : parent.M;
  if (!container)
    throw new ExpressionError(
      "The document path provided in the update expression is invalid for update",
    );
  if (value === undefined) {
    if (typeof last === "number") container.splice(last, 1);
    else delete container[last];
  } else container[last] = value;
}

function operandValue(o: Operand, item: Item, c: ExprContext): AttributeValue | undefined {
  if (o.t === "val") {
    const v = c.values[o.name];
    if (v === undefined)
      throw new ExpressionError(
        `An expression attribute value used in expression is not defined; attribute value: ${o.name}`,
      );
    return v;
  }
  const v = get(item, resolve(o.path, c));
  if (o.t === "path" || v === undefined) return o.t === "path" ? v : undefined;
  const size =
    v.S !== undefined
      ? v.S.length
      : v.B !== undefined
        ? String(v.B).length
        : (v.L ?? v.SS ?? v.NS ?? v.BS ?? Object.keys(v.M ?? {})).length;
  return { N: String(size) };
}

/** Orders two scalar values; undefined when not comparable (missing, or different types). */
function compare(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  if (!a || !b) return undefined;
  if (a.N !== undefined && b.N !== undefined) return Math.sign(Number(a.N) - Number(b.N));
  if (a.S !== undefined && b.S !== undefined) return a.S < b.S ? -1 : a.S > b.S ? 1 : 0;
  return undefined;
}

function equal(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (!a || !b) return false;
  if (a.N !== undefined && b.N !== undefined) return Number(a.N) === Number(b.N);
  return JSON.stringify(a) === JSON.stringify(b);
}

function evalCond(cond: Cond, item: Item, c: ExprContext): boolean {
  switch (cond.t) {
    case "or":
      return evalCond(cond.a, item, c) || evalCond(cond.b, item, c);
    case "and":
      return evalCond(cond.a, item, c) && evalCond(cond.b, item, c);
    case "not":
      return !evalCond(cond.a, item, c);
    case "in": {
      const l = operandValue(cond.l, item, c);
      return cond.list.some((o) => equal(l, operandValue(o, item, c)));
    }
    case "between": {
      const l = operandValue(cond.l, item, c);
      const lo = compare(l, operandValue(cond.lo, item, c));
      const hi = compare(l, operandValue(cond.hi, item, c));
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
    }
    case "fn": {
      const [first, second] = cond.args;
      const path = first?.t === "path" ? resolve(first.path, c) : [];
      const v = first ? operandValue(first, item, c) : undefined;
      if (cond.name === "attribute_exists") return get(item, path) !== undefined;
      if (cond.name === "attribute_not_exists") return get(item, path) === undefined;
      const arg = second ? operandValue(second, item, c) : undefined;
      if (cond.name === "attribute_type") return !!v && !!arg && Object.keys(v)[0] === arg.S;
      if (cond.name === "begins_with")
        return v?.S !== undefined && arg?.S !== undefined && v.S.startsWith(arg.S);
      // contains
      if (v?.S !== undefined && arg?.S !== undefined) return v.S.includes(arg.S);
      const list: AttributeValue[] =
        v?.L ??
        (v?.SS ?? [])
          .map((s: string) => ({ S: s }))
          .concat((v?.NS ?? []).map((n: string) => ({ N: n })));
      return list.some((e) => equal(e, arg));
    }
    case "cmp": {
      const l = operandValue(cond.l, item, c);
      const r = operandValue(cond.r, item, c);
      if (cond.op === "=") return equal(l, r);
      if (cond.op === "<>") return !equal(l, r);
      const o = compare(l, r);
      if (o === undefined) return false;
      return cond.op === "<" ? o < 0 : cond.op === "<=" ? o <= 0 : cond.op === ">" ? o > 0 : o >= 0;
    }
  }
}

/** Evaluates a condition (or key condition / filter) expression against an item. */
export function evaluateCondition(expression: string, item: Item, c: ExprContext): boolean {
  let cond = condCache.get(expression);
  if (!cond) {
    const p = new Parser(tokenize(expression));
    cond = p.cond();
    p.done();
    condCache.set(expression, cond);
  }
  return evalCond(cond, item, c);
}

function evalValue(v: Value, item: Item, c: ExprContext): AttributeValue {
  if (v.t === "ifne") return get(item, resolve(v.path, c)) ?? evalValue(v.v, item, c);
  if (v.t === "append") {
    const a = evalValue(v.a, item, c);
    const b = evalValue(v.b, item, c);
    if (!a.L || !b.L)
      throw new ExpressionError(
        "Incorrect operand type for operator or function; operator or function: list_append",
      );
    return { L: [...a.L, ...b.L] };
  }
  if (v.t === "arith") {
    const a = evalValue(v.a, item, c);
    const b = evalValue(v.b, item, c);
    if (a.N === undefined || b.N === undefined)
      throw new ExpressionError(
        `Incorrect operand type for operator or function; operator: ${v.op}`,
      );
    return { N: String(v.op === "+" ? Number(a.N) + Number(b.N) : Number(a.N) - Number(b.N)) };
  }
  const out = operandValue(v, item, c);
  if (out === undefined)
    throw new ExpressionError(
      "The provided expression refers to an attribute that does not exist in the item",
    );
  return out;
}

/** Applies an update expression to (a copy of) an item and returns it. */
export function applyUpdate(expression: string, item: Item, c: ExprContext): Item {
  let u = updateCache.get(expression);
  if (!u) {
    u = new Parser(tokenize(expression)).update();
    updateCache.set(expression, u);
  }
  // Every operand reads the item as it was before this update (DynamoDB semantics).
  const before = structuredClone(item);
  const sets = u.set.map((s) => ({ path: resolve(s.path, c), v: evalValue(s.v, before, c) }));
  const adds = u.add.map((a) => ({
    path: resolve(a.path, c),
    v: operandValue(a.v, before, c) as AttributeValue,
    old: get(before, resolve(a.path, c)),
  }));
  const dels = u.del.map((d) => ({
    path: resolve(d.path, c),
    v: operandValue(d.v, before, c) as AttributeValue,
    old: get(before, resolve(d.path, c)),
  }));
  for (const s of sets) put(item, s.path, s.v);
  for (const r of u.remove) put(item, resolve(r, c), undefined);
  for (const a of adds) {
    if (a.v.N !== undefined) {
      if (a.old && a.old.N === undefined)
        throw new ExpressionError("An operand in the update expression has an incorrect data type");
      put(item, a.path, { N: String(Number(a.old?.N ?? 0) + Number(a.v.N)) });
    } else {
      const kind = a.v.SS ? "SS" : a.v.NS ? "NS" : "BS";
      put(item, a.path, { [kind]: [...new Set([...(a.old?.[kind] ?? []), ...a.v[kind]])] });
    }
  }
  for (const d of dels) {
    const kind = d.v.SS ? "SS" : d.v.NS ? "NS" : "BS";
    const left = (d.old?.[kind] ?? []).filter((x: string) => !d.v[kind].includes(x));
    put(item, d.path, left.length ? { [kind]: left } : undefined);
  }
  return item;
}
