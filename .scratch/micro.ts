import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { SCHEMA, CONNECTION_PRAGMAS } from "../local/sfn/store/sqlite/schema.ts";
const variant = process.argv[2] ?? "base";
const dir = mkdtempSync(join(tmpdir(), "micro-"));
const db = new Database(join(dir, "x.sqlite"));
for (const p of CONNECTION_PRAGMAS) db.pragma(p);
let schema = SCHEMA;
if (variant === "noidx") schema = schema.replace(/CREATE INDEX IF NOT EXISTS executions_by_machine[^;]*;/, "");
db.exec(schema);
const hist = "H2[1,1704067200000,[-13,0,-116,{\"#input\":0,\"inputDetails\":{\"truncated\":false},\"roleArn\":\"arn:aws:iam::123456789012:role/countersign-local\"}]" + ",[-45,0,-132,{\"name\":\"Step0\",\"#input\":0}]".repeat(10) + ",[-14,0,-117,{\"#output\":1,\"outputDetails\":{\"truncated\":false}}]]\n" + "x".repeat(400);
const ins = db.prepare(`INSERT INTO executions (arn, name, machine_arn, machine_type, definition_hash, role_arn,
         input, status, output, error, cause, start_ms, stop_ms, seed, version_arn, invoking,
         history) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
const begin = db.prepare("BEGIN IMMEDIATE"), commit = db.prepare("COMMIT");
const N = 100000, B = Number(process.argv[3] ?? 50);
const t0 = performance.now(); const c0 = process.cpuUsage();
let k = 0;
for (let i = 0; i < N; i += B) {
  begin.run();
  for (let j = 0; j < B; j++, k++) {
    const name = `0190${(1e12 + k).toString(16)}-aaaa-7bbb-8ccc-${(1e11 + k).toString(16)}`;
    ins.run(`arn:aws:states:us-east-1:123456789012:execution:bench-passChain:${name}`, name, "arn:aws:states:us-east-1:123456789012:stateMachine:bench-passChain", "STANDARD", "abcdefabcdefabcdefabcdefabcdefabcdefabcdefa", "arn:aws:iam::123456789012:role/countersign-local", '{"orderId":"bench-1","total":42.5}', variant === "running" ? "RUNNING" : "SUCCEEDED", variant === "running" ? null : '{"orderId":"bench-1","total":42.5,"s0":"visited 0","s1":"visited 1"}', null, null, 1704067200000 + k, 1704067200000 + k, "0123456789abcdef0123456789abcdef", null, 0, hist);
  }
  commit.run();
}
const c = process.cpuUsage(c0);
console.log(variant, B, "µs/insert wall", ((performance.now() - t0) * 1000 / N).toFixed(2), "cpu", ((c.user + c.system) / N).toFixed(2));
