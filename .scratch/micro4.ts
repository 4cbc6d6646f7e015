import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { SCHEMA, CONNECTION_PRAGMAS } from "../local/sfn/store/sqlite/schema.ts";
const [histLen = "1250", idx = "1", B = "50"] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "micro-"));
const db = new Database(join(dir, "x.sqlite"));
for (const p of CONNECTION_PRAGMAS) db.pragma(p);
let schema = SCHEMA;
if (idx === "0") schema = schema.replace(/CREATE INDEX IF NOT EXISTS executions_by_machine[^;]*;/, "");
db.exec(schema);
const hist = "H".repeat(Number(histLen));
const ins = db.prepare(`INSERT INTO executions (arn, name, machine_arn, machine_type, definition_hash, role_arn,
         input, status, output, error, cause, start_ms, stop_ms, seed, version_arn, invoking,
         history) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
const begin = db.prepare("BEGIN IMMEDIATE"), commit = db.prepare("COMMIT");
const N = 100000, b = Number(B);
const c0 = process.cpuUsage();
let k = 0;
const out = '{"orderId":"bench-1","total":42.5,"s0":"visited 0","s1":"visited 1","s2":"visited 2","s3":"visited 3","s4":"visited 4","s5":"visited 5","s6":"visited 6","s7":"visited 7","s8":"visited 8","s9":"visited 9"}';
for (let i = 0; i < N; i += b) {
  begin.run();
  for (let j = 0; j < b; j++, k++) {
    const name = `0190${(1e12 + k).toString(16)}-aaaa-7bbb-8ccc-${(1e11 + k).toString(16)}`;
    ins.run(`arn:aws:states:us-east-1:123456789012:execution:bench-passChain:${name}`, name, "arn:aws:states:us-east-1:123456789012:stateMachine:bench-passChain", "STANDARD", "abcdefabcdefabcdefabcdefabcdefabcdefabcdefa", "arn:aws:iam::123456789012:role/countersign-local", '{"orderId":"bench-1","total":42.5}', "SUCCEEDED", out, null, null, 1704067200000 + k, 1704067200000 + k, "0123456789abcdef0123456789abcdef", null, 0, hist);
  }
  commit.run();
}
const c = process.cpuUsage(c0);
db.close();
const { statSync } = await import("node:fs");
console.log(`hist ${histLen} idx ${idx} batch ${B}: cpu µs/insert ${((c.user + c.system) / N).toFixed(2)}  file B/exec ${(statSync(join(dir, "x.sqlite")).size / N).toFixed(0)}`);
