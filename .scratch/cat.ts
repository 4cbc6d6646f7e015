import { readFileSync } from "node:fs";
const prof = JSON.parse(readFileSync(process.argv[2]!, "utf8"));
const byId = new Map(prof.nodes.map((n: any) => [n.id, n]));
const counts = new Map<number, number>();
for (const s of prof.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
const total = prof.samples.length;
const cat = new Map<string, number>();
const fn = new Map<string, number>();
for (const n of prof.nodes) {
  const c = counts.get(n.id) ?? 0; if (!c) continue;
  const url: string = n.callFrame.url; const name = n.callFrame.functionName || "(anon)";
  let k = "other";
  if (url.includes("/local/asl/")) k = "engine(asl)";
  else if (url.includes("history-codec")) k = "codec";
  else if (url.includes("/store/")) k = "store(js)";
  else if (url.includes("/executor/")) k = "executor";
  else if (url.includes("/api/") || url.includes("runtime.ts") || url.includes("arns.ts") || url.includes("ids.ts")) k = "api";
  else if (url.includes("/invokers/")) k = "invokers";
  else if (url.includes("/local/sfn/")) k = "sfn-other";
  else if (url.includes("/bench/")) k = "bench";
  else if (name === "(garbage collector)") k = "gc";
  else if (name === "(program)" || name === "(idle)") k = "program/idle";
  else if (url === "" ) k = "native:" + name;
  else if (url.startsWith("node:")) k = "node-internal";
  cat.set(k, (cat.get(k) ?? 0) + c);
  const f = `${name} ${url.split("/").slice(-2).join("/")}`;
  fn.set(f, (fn.get(f) ?? 0) + c);
}
const us = Number(process.argv[3] ?? 0);
const agg = new Map<string, number>();
for (const [k, v] of cat) { const kk = k.startsWith("native:") && v / total < 0.01 ? "native(small)" : k; agg.set(kk, (agg.get(kk) ?? 0) + v); }
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1])) console.log(`${(100 * v / total).toFixed(1).padStart(5)}%${us ? (" " + (us * v / total).toFixed(1).padStart(6) + "µs") : ""}  ${k}`);
console.log("---");
for (const [k, v] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[4] ?? 30))) console.log(`${(100 * v / total).toFixed(1).padStart(5)}%${us ? (" " + (us * v / total).toFixed(2).padStart(6) + "µs") : ""}  ${k}`);
