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

/** A table of the layout, and whether it is read by rowid (else in its WITHOUT ROWID key's order). */
interface Table {
  name: string;
  rowid: boolean;
}

/** The tables `SCHEMA` creates, as the new database's catalogue lists them. */
function tablesOf(db: Database.Database): Table[] {
  const rows = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .all() as Array<{ name: string; sql: string }>;
  return rows.map((r) => ({ name: r.name, rowid: !/WITHOUT\s+ROWID/i.test(r.sql) }));
}
const BATCH = 256;

/** Copies what can be read from `damagedPath` into a new database at `outPath`; returns what was lost. */
export function salvageInto(damagedPath: string, outPath: string): string[] {
  const lost: string[] = [];
  const from = new Database(damagedPath, { readonly: true, fileMustExist: true });
  // A file shorter than its header says is refused outright, unless the schema is writable (and
  // better-sqlite3's defensive mode, which forbids that, is off): then SQLite takes the file's own
  // size and reads every page that is there (btree.c, lockBtree). Read-only: nothing is written.
  from.unsafeMode(true);
  from.pragma("writable_schema = ON");
  const pageSize = from.pragma("page_size", { simple: true }) as number;
  const to = new Database(outPath);
  try {
    to.pragma(`page_size = ${pageSize}`);
    to.exec(SCHEMA);
    for (const t of tablesOf(to)) {
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
  t: Table,
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
      for (const row of from.prepare(`SELECT ${list} FROM ${t.name}`).raw().iterate()) {
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
  // Rowids here count from 1 (never negative): start below the first, probe up from there.
  let after = 0;
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
  for (const table of ["steps", "timers", "waits", "histories_to_rebuild", "execution_extras"]) {
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
