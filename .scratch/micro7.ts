import { encodeHistory } from "../local/sfn/store/sqlite/history-codec.ts";
import { runToCompletion } from "../local/sfn/index.ts";
import { compile } from "../local/asl/index.ts";
import { passChain, passChainInput, lambdaChain } from "../bench/definitions.ts";
const m = compile(passChain(10));
const N = 60000, B = 50;
let enc = 0, sink = 0;
for (let i = 0; i < N; i += B) {
  const hs = [];
  for (let j = 0; j < B; j++) hs.push((await runToCompletion(m, passChainInput)).history);
  const c0 = process.cpuUsage();
  for (let j = 0; j < B; j++) sink += encodeHistory(hs[j]).length;
  const c = process.cpuUsage(c0); enc += (c.user + c.system) / 1000;
}
console.log("fresh encode µs", (enc * 1000 / N).toFixed(2));
const h = (await runToCompletion(m, passChainInput)).history;
for (const e of h) for (const k in e) { const d = (e as any)[k]; if (d && typeof d === "object") for (const kk in d) if (typeof d[kk] === "string") d[kk] = Buffer.from(d[kk]).toString(); }
let c0 = process.cpuUsage();
for (let i = 0; i < N; i++) sink += encodeHistory(h).length;
const c = process.cpuUsage(c0); console.log("flat encode µs", ((c.user + c.system) / N).toFixed(2));
