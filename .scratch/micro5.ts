import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { SCHEMA, CONNECTION_PRAGMAS } from "../local/sfn/store/sqlite/schema.ts";
import { encodeHistory } from "../local/sfn/store/sqlite/history-codec.ts";
import { runToCompletion } from "../local/sfn/index.ts";
import { compile } from "../local/asl/index.ts";
import { passChain, passChainInput } from "../bench/definitions.ts";
const mode = process.argv[2] ?? "enc";
const m = compile(passChain(10));
const dir = mkdtempSync(join(tmpdir(), "micro-"));
const db = new Database(join(dir, "x.sqlite"));
for (const p of CONNECTION_PRAGMAS) db.pragma(p);
db.exec(SCHEMA);
const ins = db.prepare(`INSERT INTO executions (arn, name, machine_arn, machine_type, definition_hash, role_arn,
         input, status, output, error, cause, start_ms, stop_ms, seed, version_arn, invoking,
         history) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
const begin = db.prepare("BEGIN IMMEDIATE"), commit = db.prepare("COMMIT");
const N = 50000, b = 50;
// fresh histories, as in the runtime (ropes not yet flattened)
const hs = [];
for (let i = 0; i < N; i++) hs.push((await runToCompletion(m, passChainInput)).history);
const out = '{"orderId":"bench-1"}';
let encUs = 0;
const c0 = process.cpuUsage();
let k = 0;
for (let i = 0; i < N; i += b) {
  begin.run();
  for (let j = 0; j < b; j++, k++) {
    const name = `0190${(1e12 + k).toString(16)}-aaaa-7bbb-8ccc-${(1e11 + k).toString(16)}`;
    let hist = mode === "none" ? "" : encodeHistory(hs[k]);
    if (mode === "flat") hist = Buffer.from(hist).toString();
    if (mode === "encOnly") continue;
    ins.run(`arn:aws:states:us-east-1:123456789012:execution:bench-passChain:${name}`, name, "arn:aws:states:us-east-1:123456789012:stateMachine:bench-passChain", "STANDARD", "abcdefabcdefabcdefabcdefabcdefabcdefabcdefa", "arn:aws:iam::123456789012:role/countersign-local", '{"orderId":"bench-1","total":42.5}', "SUCCEEDED", out, null, null, 1704067200000 + k, 1704067200000 + k, "0123456789abcdef0123456789abcdef", null, 0, hist);
  }
  commit.run();
}
const c = process.cpuUsage(c0);
console.log(`${mode}: cpu µs/exec ${((c.user + c.system) / N).toFixed(2)}`);
