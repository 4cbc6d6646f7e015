import { runToCompletion } from "../local/sfn/index.ts";
import { compile } from "../local/asl/index.ts";
import { passChain, passChainInput, lambdaChain } from "../bench/definitions.ts";
const mods = process.argv.slice(2);
const encs = await Promise.all(mods.map(async (m) => (await import(`./${m}.ts`)).encodeHistory as (h: unknown) => string));
const m = compile(passChain(10));
const hs: unknown[] = [];
for (let i = 0; i < 2000; i++) hs.push((await runToCompletion(m, passChainInput)).history);
for (const e of hs as any[]) for (const ev of e) for (const k in ev) { const d = ev[k]; if (d && typeof d === "object") for (const kk in d) if (typeof d[kk] === "string") d[kk] = d[kk].split("").join(""); }
const tot = mods.map(() => 0);
let sink = 0;
for (let round = 0; round < 12; round++) {
  encs.forEach((enc, i) => {
    const c0 = process.cpuUsage();
    for (let r = 0; r < 20; r++) for (const h of hs) sink += enc(h).length;
    const c = process.cpuUsage(c0);
    if (round >= 2) tot[i] += c.user + c.system;
  });
}
mods.forEach((m, i) => console.log(m, "µs/encode", (tot[i] / (10 * 20 * hs.length)).toFixed(2), "len", encs[i](hs[0]).length));
