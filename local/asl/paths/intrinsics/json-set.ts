/**
 * JSON value equality and hashing as Step Functions' Java runtime does it, so `States.ArrayUnique`
 * returns its items in the order AWS does: AWS recorded `[true,false,true,false]` → `[false,true]`
 * and `[[1,2],[1,2],[2,1]]` → `[[2,1],[1,2]]`, which is the iteration order of a `java.util.HashSet`
 * of Jackson nodes. We emulate that: Java hash codes per node type, HashMap's bucket spreading and
 * table growth, then iterate by bucket and insertion order.
 */
import type { Json } from "../../types.ts";

/** Deep equality: objects ignore key order, numbers compare by value. */
export function jsonEquals(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEquals(v, b[i] as Json));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEquals(a[k] as Json, b[k] as Json));
}

function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

const view = new DataView(new ArrayBuffer(8));

function numberHash(n: number): number {
  if (Number.isInteger(n) && n >= -2147483648 && n <= 2147483647) return n | 0;
  if (Number.isSafeInteger(n)) {
    const v = BigInt.asUintN(64, BigInt(n));
    return Number(BigInt.asIntN(32, v ^ (v >> 32n)));
  }
  view.setFloat64(0, n);
  return (view.getInt32(0) ^ view.getInt32(4)) | 0;
}

/** Java `hashCode()` of the Jackson node for `v` (null hashes to 0, as AWS's ordering shows). */
export function javaHash(v: Json): number {
  if (v === null) return 0;
  if (typeof v === "boolean") return v ? 3 : 1;
  if (typeof v === "number") return numberHash(v);
  if (typeof v === "string") return stringHash(v);
  if (Array.isArray(v)) {
    let h = 1;
    for (const e of v) h = (Math.imul(31, h) + javaHash(e)) | 0;
    return h;
  }
  let h = 0;
  for (const [k, e] of Object.entries(v)) h = (h + (stringHash(k) ^ javaHash(e))) | 0;
  return h;
}

/** The distinct items of `items`, in the order a Java HashSet built from them iterates. */
export function uniqueInJavaSetOrder(items: Json[]): Json[] {
  const distinct: { value: Json; hash: number }[] = [];
  const byHash = new Map<number, Json[]>();
  for (const value of items) {
    const hash = javaHash(value);
    const same = byHash.get(hash);
    if (same?.some((s) => jsonEquals(s, value))) continue;
    if (same) same.push(value);
    else byHash.set(hash, [value]);
    distinct.push({ value, hash });
  }
  let capacity = 16;
  while (distinct.length > capacity * 0.75) capacity *= 2;
  const bucket = (h: number) => (h ^ (h >>> 16)) & (capacity - 1);
  return distinct
    .map((d, i) => ({ ...d, i, b: bucket(d.hash) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((d) => d.value);
}
