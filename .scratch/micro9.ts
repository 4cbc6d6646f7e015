import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { encodeHistory } from "../local/sfn/store/sqlite/history-codec.ts";
import { runToCompletion } from "../local/sfn/index.ts";
import { compile } from "../local/asl/index.ts";
import { passChain, passChainInput } from "../bench/definitions.ts";
const m = compile(passChain(10));
const h = (await runToCompletion(m, passChainInput)).history;
for (const e of h) for (const k in e) { const d = (e as any)[k]; if (d && typeof d === "object") for (const kk in d) if (typeof d[kk] === "string") d[kk] = Buffer.from(d[kk]).toString(); }
let sink = 0;
for (let i = 0; i < 100000; i++) sink += encodeHistory(h).length;
const session = new Session(); session.connect();
await session.post("Profiler.enable"); await session.post("Profiler.setSamplingInterval", { interval: 50 }); await session.post("Profiler.start");
const c0 = process.cpuUsage();
for (let i = 0; i < 300000; i++) sink += encodeHistory(h).length;
const c = process.cpuUsage(c0);
const { profile } = await session.post("Profiler.stop");
writeFileSync(".scratch/last.cpuprofile", JSON.stringify(profile));
console.log("µs/encode", ((c.user + c.system) / 300000).toFixed(2));
