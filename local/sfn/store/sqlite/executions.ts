/**
 * Execution rows in SQLite: one row per execution, numbered (`id`) for the tables that refer to
 * it, its definition named by hash. A row is written when the execution starts and again only
 * when what it shows changes (its end, or whether a task is mid-invocation), not on every step.
 */
import type Database from "better-sqlite3";
import type { HistoryEvent } from "../../../asl/types.ts";
import type { ExecutionFilter, ExecutionRow } from "../rows.ts";
import type { ExecutionStore } from "../store.ts";
import { HISTORY_CHUNK } from "../store.ts";
import type { Definitions } from "./definitions.ts";
import { encodeHistory } from "./history-codec.ts";
import type { SqliteSteps } from "./steps.ts";

/** A row as SQLite returns it: the definition named by its hash. */
type Stored = Omit<ExecutionRow, "definition"> & { definition_hash: string };

const COLUMNS = `id, arn, name, machine_arn, machine_type, definition_hash, role_arn, input, status,
  output, error, cause, start_ms, stop_ms, seed, version_arn, invoking`;

export class SqliteExecutions implements ExecutionStore {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly definitions: Definitions,
    private readonly steps: SqliteSteps,
  ) {
    this.s = {
      get: db.prepare<[string], Stored>(`SELECT ${COLUMNS} FROM executions WHERE arn = ?`),
      insert: db.prepare(
        `INSERT INTO executions (arn, name, machine_arn, machine_type, definition_hash, role_arn,
         input, status, output, error, cause, start_ms, stop_ms, seed, version_arn, invoking,
         history) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: db.prepare(
        `UPDATE executions SET status = ?, output = ?, error = ?, cause = ?, stop_ms = ?,
         invoking = ? WHERE id = ?`,
      ),
      invoking: db.prepare<[], Stored>(
        `SELECT ${COLUMNS} FROM executions WHERE invoking = 1 ORDER BY id`,
      ),
    };
  }

  get(arn: string): ExecutionRow | undefined {
    const row = this.s.get.get(arn);
    return row && this.row(row);
  }

  /**
   * The start record goes in the row itself (record 0: one B-tree insert for an execution that
   * ends in its first step); a start longer than a record continues in `steps` from record 1.
   */
  insert(r: ExecutionRow, start: HistoryEvent[]): number {
    const hash = this.definitions.store(r.definition);
    const inline = start.length <= HISTORY_CHUNK ? start : start.slice(0, HISTORY_CHUNK);
    const info = this.s.insert.run(
      r.arn,
      r.name,
      r.machine_arn,
      r.machine_type,
      hash,
      r.role_arn,
      r.input,
      r.status,
      r.output,
      r.error,
      r.cause,
      r.start_ms,
      r.stop_ms,
      r.seed,
      r.version_arn,
      r.invoking,
      encodeHistory(inline),
    );
    r.id = Number(info.lastInsertRowid);
    if (inline === start) return 1;
    return this.steps.append(r.id, 1, undefined, start.slice(HISTORY_CHUNK));
  }

  update(r: ExecutionRow): void {
    this.s.update.run(r.status, r.output, r.error, r.cause, r.stop_ms, r.invoking, r.id);
  }

  list(filter: ExecutionFilter): ExecutionRow[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.machineArn) {
      where.push("(machine_arn = ? OR version_arn = ?)");
      args.push(filter.machineArn, filter.machineArn);
    }
    if (filter.status) {
      where.push("status = ?");
      args.push(filter.status);
    }
    const sql = `SELECT ${COLUMNS} FROM executions
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY start_ms DESC, id DESC LIMIT ? OFFSET ?`;
    return this.db
      .prepare<unknown[], Stored>(sql)
      .all(...args, filter.limit, filter.offset)
      .map((row) => this.row(row));
  }

  invoking(): ExecutionRow[] {
    return this.s.invoking.all().map((row) => this.row(row));
  }

  /** Every field spelled out, in one order: rows of one shape keep property access fast. */
  private row(s: Stored): ExecutionRow {
    return {
      id: s.id,
      arn: s.arn,
      name: s.name,
      machine_arn: s.machine_arn,
      machine_type: s.machine_type,
      definition: this.definitions.text(s.definition_hash),
      role_arn: s.role_arn,
      input: s.input,
      status: s.status,
      output: s.output,
      error: s.error,
      cause: s.cause,
      start_ms: s.start_ms,
      stop_ms: s.stop_ms,
      seed: s.seed,
      version_arn: s.version_arn,
      invoking: s.invoking,
    };
  }
}
