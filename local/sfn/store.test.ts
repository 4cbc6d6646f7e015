import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { HistoryEvent } from "../asl/types.ts";
import { openStore, type Store } from "./store.ts";

const ARN = "arn:aws:states:us-east-1:123456789012:execution:m:e";

function events(from: number, to: number): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  for (let id = from; id <= to; id++) {
    out.push({ id, previousEventId: id - 1, timestamp: id, type: "PassStateEntered" });
  }
  return out;
}

/** Every id, reading pages of `limit` the way GetExecutionHistory does. */
function readAll(store: Store, limit: number, reverse: boolean): number[] {
  const ids: number[] = [];
  let from = reverse ? Number.MAX_SAFE_INTEGER : 0;
  for (;;) {
    const page = store.historyPage(ARN, from, limit, reverse);
    ids.push(...page.map((e) => e.id));
    if (page.length < limit) return ids;
    from = (page[page.length - 1] as HistoryEvent).id;
  }
}

describe("history stored one row per step", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("pages forward and backward across steps and across a step larger than one row", () => {
    const store = openStore();
    store.appendStep(ARN, 0, undefined, events(1, 3));
    store.appendStep(ARN, 0, { type: "stop", at: 4 }, events(4, 700));
    store.appendStep(ARN, 1, { type: "stop", at: 5 }, events(701, 702));
    const all = Array.from({ length: 702 }, (_, i) => i + 1);

    for (const limit of [1, 7, 100, 256, 1000]) {
      expect(readAll(store, limit, false)).toEqual(all);
      expect(readAll(store, limit, true)).toEqual([...all].reverse());
    }
    expect(store.historyPage(ARN, 255, 3, false).map((e) => e.id)).toEqual([256, 257, 258]);
    expect(store.historyPage(ARN, 258, 3, true).map((e) => e.id)).toEqual([257, 256, 255]);
    store.close();
  });

  it("folds a data directory's per-event history table into steps on open", () => {
    dir = mkdtempSync(join(tmpdir(), "sfn-store-"));
    openStore(dir).close();
    const db = new Database(join(dir, "sfn.sqlite"));
    db.exec(`CREATE TABLE history (execution_arn TEXT NOT NULL, id INTEGER NOT NULL,
      event TEXT NOT NULL, PRIMARY KEY (execution_arn, id)) WITHOUT ROWID`);
    const insert = db.prepare("INSERT INTO history VALUES (?, ?, ?)");
    for (const e of events(1, 5)) insert.run(ARN, e.id, JSON.stringify(e));
    db.close();

    const store = openStore(dir);

    expect(readAll(store, 2, false)).toEqual([1, 2, 3, 4, 5]);
    expect(store.historyPage(ARN, 0, 1, false)).toEqual(events(1, 1));
    store.close();
  });
});
