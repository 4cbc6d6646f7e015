/**
 * A data directory of the earlier layout (executions keyed by ARN, engine events and history in
 * their own tables, timers and tasks by ARN, one-step executions without a stored history, and
 * records still pending in the redo journal `sfn.journal`) opens with nothing lost: the test
 * writes one with the current runtime, rewrites it into the earlier layout, and reopens it.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it, vi } from "vitest";
import type { HistoryEvent } from "../../../asl/types.ts";
import { VirtualClock } from "../../clock.ts";
import { createRuntime } from "../../runtime.ts";
import { definitionHash } from "./definitions.ts";
import { decodeHistory } from "./history-codec.ts";

const OLD_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE state_machines (arn TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL,
  definition TEXT NOT NULL, role_arn TEXT NOT NULL, description TEXT, created_ms INTEGER NOT NULL,
  updated_ms INTEGER, revision INTEGER NOT NULL, revision_id TEXT NOT NULL);
CREATE TABLE state_machine_versions (arn TEXT PRIMARY KEY, machine_arn TEXT NOT NULL,
  version INTEGER NOT NULL, definition TEXT NOT NULL, role_arn TEXT NOT NULL, description TEXT,
  created_ms INTEGER NOT NULL, revision_id TEXT NOT NULL);
CREATE TABLE executions (arn TEXT PRIMARY KEY, name TEXT NOT NULL, machine_arn TEXT NOT NULL,
  machine_type TEXT NOT NULL, definition TEXT NOT NULL, role_arn TEXT NOT NULL,
  input TEXT NOT NULL, status TEXT NOT NULL, output TEXT, error TEXT, cause TEXT,
  start_ms INTEGER NOT NULL, stop_ms INTEGER, seed TEXT NOT NULL,
  next_seq INTEGER NOT NULL DEFAULT 0, history_count INTEGER NOT NULL DEFAULT 0, version_arn TEXT,
  definition_hash TEXT, history_replay INTEGER NOT NULL DEFAULT 0);
CREATE TABLE definitions (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE INDEX executions_by_machine ON executions(machine_arn, start_ms);
CREATE INDEX executions_running ON executions(status) WHERE status = 'RUNNING';
CREATE TABLE engine_events (execution_arn TEXT NOT NULL, seq INTEGER NOT NULL,
  event TEXT NOT NULL, PRIMARY KEY (execution_arn, seq)) WITHOUT ROWID;
CREATE TABLE step_history (execution_arn TEXT NOT NULL, first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL, events TEXT NOT NULL);
CREATE UNIQUE INDEX step_history_by_id ON step_history(execution_arn, first_id);
CREATE TABLE timers (execution_arn TEXT NOT NULL, timer_id TEXT NOT NULL,
  fire_at INTEGER NOT NULL, state TEXT NOT NULL, PRIMARY KEY (execution_arn, timer_id))
  WITHOUT ROWID;
CREATE INDEX timers_pending ON timers(state) WHERE state = 'pending';
CREATE TABLE tasks (execution_arn TEXT NOT NULL, task_id TEXT NOT NULL, state_name TEXT NOT NULL,
  resource TEXT NOT NULL, input TEXT NOT NULL, token TEXT, status TEXT NOT NULL, child_arn TEXT,
  PRIMARY KEY (execution_arn, task_id)) WITHOUT ROWID;
CREATE INDEX tasks_running ON tasks(status) WHERE status = 'running';
CREATE INDEX tasks_by_child ON tasks(child_arn) WHERE child_arn IS NOT NULL;
`;

const T0 = Date.UTC(2025, 0, 1);
const ACCOUNT = "arn:aws:states:us-east-1:123456789012";
const definitions = {
  done: { StartAt: "P", States: { P: { Type: "Pass", Result: { ok: true }, End: true } } },
  nap: {
    StartAt: "W",
    States: { W: { Type: "Wait", Seconds: 60, Next: "P" }, P: { Type: "Pass", End: true } },
  },
  approval: {
    StartAt: "Ask",
    States: {
      Ask: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: { FunctionName: "ask", Payload: { "token.$": "$$.Task.Token" } },
        End: true,
      },
    },
  },
  slow: {
    StartAt: "Work",
    States: {
      Work: {
        Type: "Task",
        Resource: "arn:aws:lambda:us-east-1:123456789012:function:slow",
        End: true,
      },
    },
  },
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sfn-legacy-"));
  dirs.push(dir);
  return dir;
}
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** A journal record of the earlier layout (see `legacy.ts`). */
function journalRecord(seq: number, arn: string, definition?: string): string {
  const text = JSON.stringify(definitions.done);
  const fields = [
    seq,
    arn,
    arn.slice(arn.lastIndexOf(":") + 1),
    `${ACCOUNT}:stateMachine:done`,
    "STANDARD",
    definitionHash(text),
    JSON.stringify("arn:aws:iam::123456789012:role/countersign-local"),
    '{"from":"journal"}',
    "SUCCEEDED",
    '{"ok":true}',
    "null",
    "null",
    T0,
    T0,
    "00112233445566778899aabbccddeeff",
    0,
    4,
    "",
    1,
  ].join("\x1f");
  return `${fields}${definition === undefined ? "" : `\x1f${JSON.stringify(definition)}`}\x1e\n`;
}

it("opens a data directory of the earlier layout with every execution, wait, timer and journal record", async () => {
  // 1. Executions of every kind, written by the current runtime.
  const source = tempDir();
  const tokens: string[] = [];
  let release: () => void = () => {};
  let slowCalls = 0;
  const functions = {
    ask: async (event: unknown) => {
      tokens.push((event as { token: string }).token);
    },
    slow: async () => {
      slowCalls++;
      if (slowCalls === 1) await new Promise<void>((resolve) => (release = resolve));
      return { done: slowCalls };
    },
  };
  const first = createRuntime({ dataDir: source, clock: new VirtualClock(T0), functions });
  const arns: Record<string, string> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const { stateMachineArn } = first.createStateMachine({
      name,
      definition: JSON.stringify(definition),
    });
    arns[name] = (
      await first.startExecution({ stateMachineArn, name: `${name}-1`, input: '{"k":1}' })
    ).executionArn;
  }
  const replayedArn = (
    await first.startExecution({
      stateMachineArn: `${ACCOUNT}:stateMachine:done`,
      name: "done-replayed",
    })
  ).executionArn;
  const sourceDb = new Database(join(source, "sfn.sqlite"), { readonly: true });
  await vi.waitFor(() => {
    expect(sourceDb.prepare("SELECT count(*) AS n FROM waits").get()).toEqual({ n: 1 });
    expect(slowCalls).toBe(1);
  });
  const doneHistory = first.getExecutionHistory({ executionArn: arns.done ?? "" });
  const doneDescribed = plain(first.describeExecution({ executionArn: arns.done ?? "" }));

  // 2. The same data in the earlier layout, plus a journal with records still to fold.
  const dir = tempDir();
  const old = new Database(join(dir, "sfn.sqlite"));
  old.exec(OLD_SCHEMA);
  old.exec(`ATTACH DATABASE '${join(source, "sfn.sqlite")}' AS src`);
  old.exec(`
    INSERT INTO meta SELECT * FROM src.meta WHERE key = 'taskTokenSecret';
    INSERT INTO meta VALUES ('journalSeq', '1');
    INSERT INTO state_machines SELECT * FROM src.state_machines;
    INSERT INTO definitions SELECT * FROM src.definitions;
    INSERT INTO executions (arn, name, machine_arn, machine_type, definition, role_arn, input,
      status, output, error, cause, start_ms, stop_ms, seed, version_arn, definition_hash,
      history_replay)
    SELECT e.arn, e.name, e.machine_arn, e.machine_type,
      CASE WHEN e.name = 'nap-1' THEN d.text ELSE '' END, e.role_arn, e.input, e.status,
      e.output, e.error, e.cause, e.start_ms, e.stop_ms, e.seed, e.version_arn,
      CASE WHEN e.name = 'nap-1' THEN NULL ELSE e.definition_hash END,
      e.name = 'done-replayed'
    FROM src.executions e JOIN src.definitions d ON d.hash = e.definition_hash ORDER BY e.id;
    INSERT INTO timers SELECT e.arn, t.timer_id, t.fire_at, 'pending'
      FROM src.timers t JOIN src.executions e ON e.id = t.exec_id;
    INSERT INTO tasks SELECT e.arn, w.task_id, 'Ask', w.resource, '{}', NULL, 'waiting', NULL
      FROM src.waits w JOIN src.executions e ON e.id = w.exec_id;
    INSERT INTO tasks VALUES ('${arns.slow}', 'task-1', 'Work',
      '${definitions.slow.States.Work.Resource}', '{"k":1}', NULL, 'running', NULL);
  `);
  // Start records (in the row) first, then the others, per execution in order.
  const steps = old
    .prepare<[], { exec_id: number; event: string | null; history: string }>(
      `SELECT exec_id, event, history FROM (
         SELECT id AS exec_id, -1 AS n, NULL AS event, history FROM src.executions
         WHERE history IS NOT NULL
         UNION ALL SELECT exec_id, n, event, history FROM src.steps) ORDER BY exec_id, n`,
    )
    .all();
  const arnOf = old.prepare<[number], { arn: string }>(
    "SELECT arn FROM src.executions WHERE id = ?",
  );
  const seqs = new Map<string, number>();
  for (const step of steps) {
    const arn = (arnOf.get(step.exec_id) as { arn: string }).arn;
    if (arn === replayedArn) continue; // stored without a history, as the journal path did
    if (step.event !== null) {
      const seq = seqs.get(arn) ?? 0;
      old.prepare("INSERT INTO engine_events VALUES (?, ?, ?)").run(arn, seq, step.event);
      seqs.set(arn, seq + 1);
    }
    const events = decodeHistory(step.history);
    const first = events[0];
    if (first) {
      old
        .prepare("INSERT INTO step_history VALUES (?, ?, ?, ?)")
        .run(arn, first.id, (events[events.length - 1] as HistoryEvent).id, JSON.stringify(events));
    }
  }
  old.exec("DETACH DATABASE src");
  old.close();
  sourceDb.close();
  const journaled = [
    `${ACCOUNT}:execution:done:from-journal-1`,
    `${ACCOUNT}:execution:done:from-journal-2`,
  ];
  writeFileSync(
    join(dir, "sfn.journal"),
    // Record 1 was folded already (meta.journalSeq); the last record is torn by a crash.
    journalRecord(1, `${ACCOUNT}:execution:done:folded-before`) +
      journalRecord(2, journaled[0] as string, "this text is ignored: the hash is known") +
      journalRecord(3, journaled[1] as string) +
      journalRecord(4, `${ACCOUNT}:execution:done:torn`).slice(0, 40),
  );
  release();
  await first.close();

  // 3. Reopen in the current layout.
  const clock = new VirtualClock(T0 + 1000);
  const runtime = createRuntime({
    dataDir: dir,
    clock,
    functions: { ...functions, slow: async () => ({ again: true }) },
  });
  await runtime.idle();

  expect(existsSync(join(dir, "sfn.journal"))).toBe(false);
  expect(plain(runtime.describeExecution({ executionArn: arns.done ?? "" }))).toEqual(
    doneDescribed,
  );
  expect(plain(runtime.getExecutionHistory({ executionArn: arns.done ?? "" }))).toEqual(
    plain(doneHistory),
  );
  for (const executionArn of [replayedArn, ...journaled]) {
    const described = runtime.describeExecution({ executionArn });
    expect(described.status).toBe("SUCCEEDED");
    expect(described.output).toBe('{"ok":true}');
    const history = runtime.getExecutionHistory({ executionArn });
    expect(history.events.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "ExecutionSucceeded",
    ]);
  }
  expect(() =>
    runtime.describeExecution({ executionArn: `${ACCOUNT}:execution:done:folded-before` }),
  ).toThrow(/Does Not Exist/);
  expect(() =>
    runtime.describeExecution({ executionArn: `${ACCOUNT}:execution:done:torn` }),
  ).toThrow(/Does Not Exist/);
  // The task that was mid-invocation was invoked again; the one waiting for its token still is.
  expect(runtime.describeExecution({ executionArn: arns.slow ?? "" }).output).toBe(
    '{"again":true}',
  );
  expect(runtime.describeExecution({ executionArn: arns.approval ?? "" }).status).toBe("RUNNING");
  await runtime.sendTaskSuccess({ taskToken: tokens[0] ?? "", output: '"yes"' });
  expect(runtime.describeExecution({ executionArn: arns.approval ?? "" }).output).toBe('"yes"');
  // The Wait armed before fires at its time.
  expect(runtime.describeExecution({ executionArn: arns.nap ?? "" }).status).toBe("RUNNING");
  await clock.advance(60_000);
  expect(
    runtime.getExecutionHistory({ executionArn: arns.nap ?? "" }).events.map((e) => e.type),
  ).toEqual([
    "ExecutionStarted",
    "WaitStateEntered",
    "WaitStateExited",
    "PassStateEntered",
    "PassStateExited",
    "ExecutionSucceeded",
  ]);
  expect(runtime.listExecutions({}).executions).toHaveLength(7);
  // New executions of an old machine run next to the old rows.
  const again = await runtime.startExecution({ stateMachineArn: `${ACCOUNT}:stateMachine:done` });
  expect((await runtime.waitForExecution(again.executionArn)).output).toBe('{"ok":true}');
  await runtime.close();
});
