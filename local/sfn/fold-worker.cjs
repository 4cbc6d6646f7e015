/**
 * The journal's background folder (a worker thread; plain CommonJS so it starts without tsx).
 * It tails the store's journal file and inserts its records into SQLite through its own
 * connection, in transactions of many records, then publishes the number of the last record
 * committed. Control words, shared with `store.ts` (Int32Array over a SharedArrayBuffer):
 *   [APPENDED] last record number written to the journal (set by the main thread);
 *   [FOLDED]   last record number committed in SQLite (set here);
 *   [GEN]      bumped by the main thread each time it empties the journal (read offsets restart);
 *   [STOP]     1: finish and exit.
 * The main thread empties the file only while FOLDED equals APPENDED, so a read that raced with
 * an emptying sees GEN change and is thrown away.
 */
const { readSync, openSync, closeSync, fstatSync } = require("node:fs");
const { workerData } = require("node:worker_threads");

const {
  CONNECTION_PRAGMAS,
  CTL,
  FOLD_EXECUTION_SQL,
  INSERT_DEFINITION_SQL,
  parseJournalLine,
} = require("./journal-format.cjs");

const { APPENDED, FOLDED, GEN, STOP } = CTL;
/** Records per transaction: bounds how long the main thread can wait for SQLite's write lock. */
const CHUNK = 2048;
/** How often the folder looks for new records: every 10 ms while they come, backing off to 500. */
const POLL_MS = 10;
const IDLE_POLL_MS = 500;

const RECORD_END = "\x1e\n";

const { ctl, dbFile, journalFile, sqlite } = workerData;
const Database = require(sqlite);
const db = new Database(dbFile);
for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
const insertExecution = db.prepare(FOLD_EXECUTION_SQL);
const insertDefinition = db.prepare(INSERT_DEFINITION_SQL);
const setSeq = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('journalSeq', ?)");
const fold = db.transaction((records) => {
  for (const r of records) {
    // r: [s, ...18 columns, definition text when new]
    if (r.length > 19) insertDefinition.run(r[5], r[19]);
    insertExecution.run(r.slice(1, 19));
  }
  setSeq.run(String(records[records.length - 1][0]));
});

const fd = openSync(journalFile, "r");
let gen = Atomics.load(ctl, GEN);
let offset = 0;
let folded = Atomics.load(ctl, FOLDED);
let carry = "";
let buffer = Buffer.alloc(1 << 20);
let poll = POLL_MS;

/** The complete lines appended since the last read (undefined when the file was emptied meanwhile). */
function readNew() {
  const before = Atomics.load(ctl, GEN);
  if (before !== gen) {
    gen = before;
    offset = 0;
    carry = "";
  }
  const size = fstatSync(fd).size;
  if (size <= offset) return [];
  if (buffer.length < size - offset) buffer = Buffer.alloc(size - offset);
  const n = readSync(fd, buffer, 0, size - offset, offset);
  if (Atomics.load(ctl, GEN) !== before) return undefined;
  offset += n;
  const text = carry + buffer.toString("utf8", 0, n);
  const end = text.lastIndexOf(RECORD_END);
  carry = text.slice(end < 0 ? 0 : end + RECORD_END.length);
  return end < 0 ? [] : text.slice(0, end).split(RECORD_END);
}

for (;;) {
  const appended = Atomics.load(ctl, APPENDED);
  if (appended === folded) {
    if (Atomics.load(ctl, STOP)) break;
    // Woken early only by a reader waiting for the fold (or by stop); otherwise batches form.
    Atomics.wait(ctl, APPENDED, appended, poll);
    poll = Math.min(poll * 2, IDLE_POLL_MS);
    continue;
  }
  poll = POLL_MS;
  const lines = readNew();
  if (lines === undefined || lines.length === 0) {
    Atomics.wait(ctl, APPENDED, appended, 5); // the rest of a write is on its way
    continue;
  }
  const records = [];
  for (const line of lines) {
    const r = parseJournalLine(line);
    if (!r) throw new Error(`a torn journal record: ${line.slice(0, 80)}`);
    if (r[0] > folded) records.push(r);
  }
  for (let i = 0; i < records.length; i += CHUNK) {
    const chunk = records.slice(i, i + CHUNK);
    fold.immediate(chunk);
    folded = chunk[chunk.length - 1][0];
    Atomics.store(ctl, FOLDED, folded);
    Atomics.notify(ctl, FOLDED);
  }
}
closeSync(fd);
db.close();
