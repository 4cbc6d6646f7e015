/**
 * The Map Run tables of a store written before Map Run redrive: opening them adds the redrive
 * columns, keeps the rows (never redriven), and the redrive marks work on both stores.
 */
import { expect, it } from "vitest";
import { MemoryStore } from "../store/memory/memory-store.ts";
import { openSqliteStore } from "../store/sqlite/sqlite-store.ts";
import { type MapRunRow, mapRunStore } from "./store.ts";

const row = (arn: string): MapRunRow => ({
  id: 0,
  arn,
  exec_arn: "arn:aws:states:us-east-1:123456789012:execution:m:e",
  task_id: "t1",
  plan: "{}",
  status: "FAILED",
  start_ms: 1,
  stop_ms: 2,
  max_concurrency: 0,
  tolerated_count: -1,
  tolerated_pct: -1,
  children: 3,
  output: null,
  error: "States.ExceedToleratedFailureThreshold",
  cause: null,
  redrive_count: 0,
  redrive_ms: null,
});

it("an older store's map_runs gains redrive_count 0 and redrive_ms null, and keeps its rows", () => {
  const store = openSqliteStore();
  store.db.exec(`CREATE TABLE map_runs (
    id INTEGER PRIMARY KEY, arn TEXT NOT NULL UNIQUE, exec_arn TEXT NOT NULL, task_id TEXT NOT NULL,
    plan TEXT NOT NULL, status TEXT NOT NULL, start_ms INTEGER NOT NULL, stop_ms INTEGER,
    max_concurrency INTEGER NOT NULL, tolerated_count REAL NOT NULL, tolerated_pct REAL NOT NULL,
    children INTEGER NOT NULL, output TEXT, error TEXT, cause TEXT);
    INSERT INTO map_runs VALUES (7, 'arn:old', 'arn:e', 't', '{}', 'FAILED', 1, 2, 0, -1, -1, 3,
      NULL, 'E', NULL);`);
  const runs = mapRunStore(store);
  expect(runs.get("arn:old")).toMatchObject({ id: 7, redrive_count: 0, redrive_ms: null });
  const r = runs.get("arn:old") as MapRunRow;
  r.redrive_count = 1;
  r.redrive_ms = 5;
  r.task_id = "t2";
  runs.update(r);
  expect(runs.get("arn:old")).toMatchObject({ redrive_count: 1, redrive_ms: 5, task_id: "t2" });
});

for (const [name, open] of [
  ["sqlite", () => openSqliteStore()],
  ["memory", () => new MemoryStore()],
] as const) {
  it(`${name}: redrive marks are kept per Map Run and child, the latest replacing the earlier`, () => {
    const runs = mapRunStore(open());
    const a = row("arn:a");
    const b = row("arn:b");
    runs.insert(a);
    runs.insert(b);
    runs.putRedrive(a.id, 1, { round: 1, base: 0 });
    runs.putRedrive(a.id, 2, { round: 1, base: 0 });
    runs.putRedrive(a.id, 1, { round: 2, base: 1 });
    expect([...runs.redrives(a.id)].sort()).toEqual([
      [1, { round: 2, base: 1 }],
      [2, { round: 1, base: 0 }],
    ]);
    expect(runs.redrives(b.id).size).toBe(0);
  });
}
