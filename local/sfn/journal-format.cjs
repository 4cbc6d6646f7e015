/**
 * What `store.ts` and the fold worker (`fold-worker.cjs`) must agree on: the SQLite connection
 * settings, the fold's statements, the journal record format and the shared control words. Plain
 * CommonJS, so the worker loads it without tsx; `store.ts` and `folder.ts` read it through
 * `journal-format.ts`, which gives it types.
 */

/** Every connection to `sfn.sqlite`. Checkpoints fsync; every 1,000 pages (the default) cost a
 * short execution ~20% of its time, hence 8,000. */
const CONNECTION_PRAGMAS = [
  "journal_mode = WAL",
  "synchronous = NORMAL",
  "busy_timeout = 5000",
  "wal_autocheckpoint = 8000",
];

/** Indices of the control words in the folder's shared Int32Array (see fold-worker.cjs). */
const CTL = { APPENDED: 0, FOLDED: 1, GEN: 2, STOP: 3 };

const FOLD_EXECUTION_SQL = `INSERT OR IGNORE INTO executions (arn, name, machine_arn, machine_type,
  definition, definition_hash, role_arn, input, status, output, error, cause, start_ms, stop_ms,
  seed, next_seq, history_count, version_arn, history_replay)
  VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_DEFINITION_SQL = "INSERT OR IGNORE INTO definitions (hash, text) VALUES (?, ?)";

/** The inverse of store.ts's `journalLine` (without its terminator); undefined when torn. */
function parseJournalLine(line) {
  const f = line.split("\x1f");
  if (f.length !== 19 && f.length !== 20) return undefined;
  const orNull = (v) => (v === "" ? null : v);
  const record = [
    Number(f[0]),
    f[1],
    f[2],
    f[3],
    f[4],
    f[5],
    JSON.parse(f[6]),
    f[7],
    f[8],
    orNull(f[9]),
    JSON.parse(f[10]),
    JSON.parse(f[11]),
    Number(f[12]),
    f[13] === "" ? null : Number(f[13]),
    f[14],
    Number(f[15]),
    Number(f[16]),
    orNull(f[17]),
    Number(f[18]),
  ];
  if (f.length === 20) record.push(JSON.parse(f[19]));
  return record;
}

module.exports = {
  CONNECTION_PRAGMAS,
  CTL,
  FOLD_EXECUTION_SQL,
  INSERT_DEFINITION_SQL,
  parseJournalLine,
};
