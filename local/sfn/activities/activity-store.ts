/**
 * What the runtime keeps about activities and tags: the activities (CreateActivity), the activity
 * tasks scheduled and not yet taken by a worker (GetActivityTask takes the oldest), and the tags of
 * state machines and activities. Beside the main store rather than in it, one concept per file: on
 * SQLite it adds its own tables to the same database (durable across restarts, as AWS's are), on
 * the memory store it keeps plain maps.
 */
import type Database from "better-sqlite3";
import type { Store } from "../store/index.ts";

export interface ActivityRow {
  arn: string;
  name: string;
  created_ms: number;
}

/** A scheduled activity task no worker has taken yet. */
export interface ActivityTaskRow {
  seq: number;
  activity_arn: string;
  execution_arn: string;
  task_id: string;
  /** The task's effective input, as JSON text. */
  input: string;
}

export interface Tag {
  key: string;
  value: string;
}

export interface ActivityStore {
  get(arn: string): ActivityRow | undefined;
  insert(row: ActivityRow): void;
  delete(arn: string): void;
  /** Every activity, by name. */
  list(): ActivityRow[];
  /** Queues a task; a task queued already (a re-invocation after a restart) stays as it was. */
  enqueue(task: Omit<ActivityTaskRow, "seq">): void;
  /** The oldest queued task of an activity. */
  next(activityArn: string): ActivityTaskRow | undefined;
  remove(seq: number): void;
  tags(resourceArn: string): Tag[];
  putTags(resourceArn: string, tags: Tag[]): void;
  removeTags(resourceArn: string, keys: string[]): void;
}

/** The activity store for a runtime's store: SQLite tables beside it, or maps. */
export function activityStoreFor(store: Store): ActivityStore {
  const db = (store as { db?: Database.Database }).db;
  return db ? new SqliteActivities(db) : new MemoryActivities();
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS activities (
  arn TEXT PRIMARY KEY, name TEXT NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS activity_tasks (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, activity_arn TEXT NOT NULL, execution_arn TEXT NOT NULL,
  task_id TEXT NOT NULL, input TEXT NOT NULL, UNIQUE (execution_arn, task_id));
CREATE INDEX IF NOT EXISTS activity_tasks_by_activity ON activity_tasks (activity_arn, seq);
CREATE TABLE IF NOT EXISTS resource_tags (
  resource_arn TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (resource_arn, key));
`;

class SqliteActivities implements ActivityStore {
  private readonly s;

  constructor(db: Database.Database) {
    db.exec(SCHEMA);
    this.s = {
      get: db.prepare<[string], ActivityRow>("SELECT * FROM activities WHERE arn = ?"),
      insert: db.prepare(
        "INSERT OR IGNORE INTO activities (arn, name, created_ms) VALUES (?, ?, ?)",
      ),
      delete: db.prepare("DELETE FROM activities WHERE arn = ?"),
      list: db.prepare<[], ActivityRow>("SELECT * FROM activities ORDER BY name"),
      enqueue: db.prepare(
        `INSERT OR IGNORE INTO activity_tasks (activity_arn, execution_arn, task_id, input)
         VALUES (?, ?, ?, ?)`,
      ),
      next: db.prepare<[string], ActivityTaskRow>(
        "SELECT * FROM activity_tasks WHERE activity_arn = ? ORDER BY seq LIMIT 1",
      ),
      remove: db.prepare("DELETE FROM activity_tasks WHERE seq = ?"),
      tags: db.prepare<[string], Tag>(
        "SELECT key, value FROM resource_tags WHERE resource_arn = ? ORDER BY key",
      ),
      putTag: db.prepare(
        "INSERT OR REPLACE INTO resource_tags (resource_arn, key, value) VALUES (?, ?, ?)",
      ),
      removeTag: db.prepare("DELETE FROM resource_tags WHERE resource_arn = ? AND key = ?"),
    };
  }

  get(arn: string) {
    return this.s.get.get(arn);
  }
  insert(row: ActivityRow) {
    this.s.insert.run(row.arn, row.name, row.created_ms);
  }
  delete(arn: string) {
    this.s.delete.run(arn);
  }
  list() {
    return this.s.list.all();
  }
  enqueue(t: Omit<ActivityTaskRow, "seq">) {
    this.s.enqueue.run(t.activity_arn, t.execution_arn, t.task_id, t.input);
  }
  next(activityArn: string) {
    return this.s.next.get(activityArn);
  }
  remove(seq: number) {
    this.s.remove.run(seq);
  }
  tags(resourceArn: string) {
    return this.s.tags.all(resourceArn);
  }
  putTags(resourceArn: string, tags: Tag[]) {
    for (const t of tags) this.s.putTag.run(resourceArn, t.key, t.value);
  }
  removeTags(resourceArn: string, keys: string[]) {
    for (const k of keys) this.s.removeTag.run(resourceArn, k);
  }
}

class MemoryActivities implements ActivityStore {
  private readonly activities = new Map<string, ActivityRow>();
  private readonly queue: ActivityTaskRow[] = [];
  private readonly tagMap = new Map<string, Map<string, string>>();
  private seq = 0;

  get(arn: string) {
    return this.activities.get(arn);
  }
  insert(row: ActivityRow) {
    if (!this.activities.has(row.arn)) this.activities.set(row.arn, { ...row });
  }
  delete(arn: string) {
    this.activities.delete(arn);
  }
  list() {
    return [...this.activities.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  enqueue(t: Omit<ActivityTaskRow, "seq">) {
    const queued = this.queue.some(
      (q) => q.execution_arn === t.execution_arn && q.task_id === t.task_id,
    );
    if (!queued) this.queue.push({ ...t, seq: ++this.seq });
  }
  next(activityArn: string) {
    return this.queue.find((q) => q.activity_arn === activityArn);
  }
  remove(seq: number) {
    const i = this.queue.findIndex((q) => q.seq === seq);
    if (i >= 0) this.queue.splice(i, 1);
  }
  tags(resourceArn: string) {
    const m = this.tagMap.get(resourceArn);
    if (!m) return [];
    return [...m.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => ({ key, value }));
  }
  putTags(resourceArn: string, tags: Tag[]) {
    const m = this.tagMap.get(resourceArn) ?? new Map<string, string>();
    this.tagMap.set(resourceArn, m);
    for (const t of tags) m.set(t.key, t.value);
  }
  removeTags(resourceArn: string, keys: string[]) {
    const m = this.tagMap.get(resourceArn);
    for (const k of keys) m?.delete(k);
  }
}
