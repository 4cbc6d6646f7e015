/**
 * The last step of a repair (`repair.ts`): when a database still fails SQLite's integrity check,
 * copy every row that can be read into a new database of the same layout. Tables are read in key
 * order; a damaged page makes the read fail, so the copy goes on from the next key that reads
 * (probing further and further ahead), and the keys skipped are reported. Indexes are built anew
 * from the copied rows. Then what no longer hangs together goes: step records, timers and waits
 * of an execution whose row was lost, and the records of an execution after its first missing one
 * (replay would go wrong past a gap); each is listed.
 */
import Database from "better-sqlite3";
import { SCHEMA } from "./schema.ts";

/** Tables of the layout and the key they are read in (a rowid alias, or a WITHOUT ROWID key). */
const TABLES: ReadonlyArray<{ name: string; key: string; rowid: boolean }> = [
  { name: "meta", key: "rowid", rowid: true },
  { name: "state_machines", key: "rowid", rowid: true },
  { name: "state_machine_versions", key: "rowid", rowid: true },
  { name: "definitions", key: "rowid", rowid: true },
  { name: "executions", key: "id", rowid: true },
  { name: "steps", key: "seq", rowid: true },
  { name: "timers", key: "exec_id, timer_id", rowid: false },
  { name: "waits", key: "exec_id, task_id", rowid: false },
  { name: "histories_to_rebuild", key: "exec_id", rowid: true },
];
const BATCH = 256;

/** Copies what can be read from `damagedPath` into a new database at `outPath`; returns what was lost. */
export function salvageInto(damagedPath: string, outPath: string): string[] {
  const lost: string[] = [];
  const from = new Database(damagedPath, { readonly: true, fileMustExist: true });
  const pageSize = from.pragma("page_size", { simple: true }) as number;
  const to = new Database(outPath);
  try {
    to.pragma(`page_size = ${pageSize}`);
    to.exec(SCHEMA);
    for (const t of TABLES) {
      const { copied, skipped } = copyTable(from, to, t);
      if (skipped.length > 0) {
        lost.push(`${t.name}: rows ${skipped.join(", ")} could not be read (${copied} copied)`);
      }
    }
    lost.push(...dropInconsistent(to));
  } finally {
    from.close();
    to.close();
  }
  return lost;
}

function copyTable(
  from: Database.Database,
  to: Database.Database,
  t: (typeof TABLES)[number],
): { copied: number; skipped: string[] } {
  let columns: string[];
  try {
    columns = (from.pragma(`table_info(${t.name})`) as Array<{ name: string }>).map((c) => c.name);
  } catch {
    return { copied: 0, skipped: ["all (the table cannot be read)"] };
  }
  if (columns.length === 0) return { copied: 0, skipped: [] };
  const target = new Set(
    (to.pragma(`table_info(${t.name})`) as Array<{ name: string }>).map((c) => c.name),
  );
  const cols = columns.filter((c) => target.has(c));
  const list = cols.map((c) => `"${c}"`).join(", ");
  const insert = to.prepare(
    `INSERT OR IGNORE INTO ${t.name} (${list}) VALUES (${cols.map(() => "?").join(", ")})`,
  );
  const skipped: string[] = [];
  let copied = 0;
  if (!t.rowid) {
    // Few rows, rebuilt by the runtime where it matters: copy until the first unreadable one.
    try {
      for (const row of from
        .prepare(`SELECT ${list} FROM ${t.name} ORDER BY ${t.key}`)
        .raw()
        .iterate()) {
        insert.run(...(row as unknown[]));
        copied++;
      }
    } catch {
      skipped.push(`after the first ${copied}`);
    }
    return { copied, skipped };
  }
  const page = from.prepare(
    `SELECT rowid AS k, ${list} FROM ${t.name} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
  );
  const next = from.prepare(
    `SELECT rowid AS k FROM ${t.name} WHERE rowid > ? ORDER BY rowid LIMIT 1`,
  );
  let after = Number.MIN_SAFE_INTEGER;
  let size = BATCH;
  for (;;) {
    let rows: Array<Record<string, unknown>>;
    try {
      rows = page.all(after, size) as Array<Record<string, unknown>>;
    } catch {
      if (size > 1) {
        size = 1; // read the damaged stretch row by row
        continue;
      }
      const resume = probe(next, after);
      skipped.push(resume === undefined ? `after ${after}` : `${after + 1} to ${resume - 1}`);
      if (resume === undefined) break;
      after = resume - 1;
      continue;
    }
    if (rows.length === 0) break;
    to.transaction(() => {
      for (const row of rows) insert.run(...cols.map((c) => row[c]));
    })();
    copied += rows.length;
    after = rows[rows.length - 1]?.k as number;
    size = BATCH;
  }
  return { copied, skipped };
}

/** The first readable key past a damaged stretch after `after`, looking 1, 2, 4, ... keys ahead. */
function probe(next: Database.Statement, after: number): number | undefined {
  for (let gap = 1; gap < 2 ** 52; gap *= 2) {
    try {
      const row = next.get(after + gap) as { k: number } | undefined;
      return row?.k;
    } catch {
      // still inside the damage
    }
  }
  return undefined;
}

/** Removes what no longer hangs together after rows were lost; lists it. */
function dropInconsistent(db: Database.Database): string[] {
  const lost: string[] = [];
  for (const table of ["steps", "timers", "waits", "histories_to_rebuild"]) {
    const n = db
      .prepare(`DELETE FROM ${table} WHERE exec_id NOT IN (SELECT id FROM executions)`)
      .run().changes;
    if (n > 0) lost.push(`${table}: ${n} rows of executions whose row was lost`);
  }
  // Records are numbered from 0 or 1 (the start record sits in the row); keep each execution's
  // records up to its first missing number.
  const gaps = db
    .prepare(
      `SELECT s.exec_id AS id, e.arn AS arn, min(s.n) AS n FROM steps s JOIN executions e ON e.id = s.exec_id
       WHERE s.n > 1 AND NOT EXISTS (SELECT 1 FROM steps p WHERE p.exec_id = s.exec_id AND p.n = s.n - 1)
       GROUP BY s.exec_id`,
    )
    .all() as Array<{ id: number; arn: string; n: number }>;
  for (const g of gaps) {
    db.prepare("DELETE FROM steps WHERE exec_id = ? AND n >= ?").run(g.id, g.n);
    lost.push(
      `execution ${g.arn}: step records from ${g.n - 1} on were lost; it stands where the rest leaves it`,
    );
  }
  return lost;
}
