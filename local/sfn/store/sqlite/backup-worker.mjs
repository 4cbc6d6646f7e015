// The backup's copy, on a worker thread (backup.ts starts it): its own read-only connection pins
// one snapshot with an open read transaction, so the copy is consistent and the runtime's writes
// on the main thread neither wait for it nor restart it (SQLite restarts a backup whose source
// another connection changed, unless the backup's own connection holds a read transaction).
// Plain JavaScript: a worker thread does not inherit the tsx loader the CLI registers.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

/** @type {{ source: string, target: string, pagesPerStep: number }} */
const { source, target, pagesPerStep } = workerData;
const db = new Database(source, { readonly: true, fileMustExist: true });
try {
  db.exec("BEGIN");
  db.prepare("SELECT count(*) FROM sqlite_schema").get(); // opens the read transaction
  await db.backup(target, { progress: () => pagesPerStep });
  db.exec("COMMIT");
} finally {
  db.close();
}
parentPort?.postMessage("copied");
