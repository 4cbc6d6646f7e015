import Database from "better-sqlite3";
import { mkdtempSync, statSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
const variant = process.argv[2] ?? "rowid";
const dir = mkdtempSync(join(tmpdir(), "m8-"));
const db = new Database(join(dir, "x.sqlite"));
for (const p of ["page_size = 16384", "journal_mode = WAL", "synchronous = NORMAL", "wal_autocheckpoint = 2000"]) db.pragma(p);
if (variant === "rowid") db.exec(`CREATE TABLE steps (seq INTEGER PRIMARY KEY, exec_id INTEGER NOT NULL, n INTEGER NOT NULL, first_id INTEGER NOT NULL, last_id INTEGER NOT NULL, event TEXT, history TEXT NOT NULL); CREATE UNIQUE INDEX steps_by_execution ON steps(exec_id, n);`);
else db.exec(`CREATE TABLE steps (exec_id INTEGER NOT NULL, n INTEGER NOT NULL, first_id INTEGER NOT NULL, last_id INTEGER NOT NULL, event TEXT, history TEXT NOT NULL, PRIMARY KEY (exec_id, n)) WITHOUT ROWID;`);
const ins = db.prepare(variant === "rowid" ? "INSERT INTO steps (exec_id, n, first_id, last_id, event, history) VALUES (?, ?, ?, ?, ?, ?)" : "INSERT INTO steps (exec_id, n, first_id, last_id, event, history) VALUES (?, ?, ?, ?, ?, ?)");
const begin = db.prepare("BEGIN IMMEDIATE"), commit = db.prepare("COMMIT");
const event = '{"type":"taskSucceeded","id":"task-3","output":{"orderId":"bench-1","total":42.5,"s0":"handled 0","s1":"handled 1","s2":"handled 2"},"at":1704067200000}';
const hist = "H".repeat(Number(process.argv[3] ?? 400));
const EXECS = 20000, STEPS = 11, INF = 50;
const c0 = process.cpuUsage();
// 50 executions in flight; each flush = one step of each of the 50
for (let base = 1; base <= EXECS; base += INF) {
  for (let n = 1; n <= STEPS; n++) {
    begin.run();
    for (let e = base; e < base + INF; e++) ins.run(e, n, n * 5, n * 5 + 4, event, hist);
    commit.run();
  }
}
const c = process.cpuUsage(c0);
db.close();
console.log(`${variant} hist ${process.argv[3] ?? 400}: cpu µs/step ${((c.user + c.system) / (EXECS * STEPS)).toFixed(2)}  B/step ${(statSync(join(dir, "x.sqlite")).size / (EXECS * STEPS)).toFixed(0)}`);
