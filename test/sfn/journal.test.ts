/**
 * The journal path of the store: executions that end in their first step are committed by one
 * append to `sfn.journal` and folded into SQLite later. A SIGKILL right after they were reported
 * SUCCEEDED must lose nothing (the records are replayed into SQLite on open), their histories
 * (not stored, rebuilt by replay) must read exactly as the engine produced them, and data
 * directories written before definitions by hash and replayed histories must still open.
 */
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { compile, start } from "../../local/asl/index.ts";
import { createRuntime, VirtualClock } from "../../local/sfn/index.ts";
import { tempDir } from "./helpers.ts";

const worker = fileURLToPath(new URL("./journal-crash-worker.ts", import.meta.url));
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** JSON round trip: Dates become ISO strings, as the child printed them. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Runs the crash worker until it printed READY, then SIGKILLs it; returns what it printed. */
function runAndKill(dataDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", worker, dataDir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.endsWith("READY\n")) child.kill("SIGKILL");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(out.slice(0, -"READY\n".length));
      else reject(new Error(`journal-crash-worker exited with ${code}: ${err}`));
    });
  });
}

it("executions reported SUCCEEDED survive a SIGKILL through the journal, with the same history", async () => {
  const dir = tempDir("sfn-journal-");
  cleanups.push(dir.remove);
  const printed = JSON.parse(await runAndKill(dir.dir)) as Array<{
    describe: { executionArn: string };
    history: { events: unknown[] };
  }>;
  expect(printed).toHaveLength(20);
  // Before reopening: SQLite never received them (its write lock was held); the journal has them.
  const db = new Database(join(dir.dir, "sfn.sqlite"), { readonly: true });
  const inSqlite = db.prepare("SELECT count(*) AS n FROM executions").get() as { n: number };
  db.close();
  expect(inSqlite.n).toBe(0);
  expect(statSync(join(dir.dir, "sfn.journal")).size).toBeGreaterThan(0);

  const runtime = createRuntime({ dataDir: dir.dir });
  cleanups.push(() => runtime.close());

  for (const { describe, history } of printed) {
    const { executionArn } = describe;
    expect(plain(runtime.describeExecution({ executionArn }))).toEqual(describe);
    expect(plain(runtime.getExecutionHistory({ executionArn, maxResults: 1000 }))).toEqual(history);
    // Paged both ways, the same events.
    const pages: unknown[] = [];
    let nextToken: string | undefined;
    do {
      const page = runtime.getExecutionHistory({ executionArn, maxResults: 2, nextToken });
      pages.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(plain(pages)).toEqual(history.events);
    const reversed = runtime.getExecutionHistory({ executionArn, reverseOrder: true });
    expect(plain(reversed.events)).toEqual([...history.events].reverse());
  }
  expect(runtime.listExecutions({ maxResults: 100 }).executions).toHaveLength(20);
});

it("a replayed history is exactly the history the engine produced", async () => {
  const dir = tempDir("sfn-replay-");
  cleanups.push(dir.remove);
  const definition = {
    StartAt: "Pick",
    States: {
      Pick: {
        Type: "Pass",
        Parameters: { "id.$": "States.UUID()", "n.$": "$.n" },
        Next: "Check",
      },
      Check: {
        Type: "Choice",
        Choices: [{ Variable: "$.n", NumericGreaterThan: 1, Next: "Big" }],
        Default: "Small",
      },
      Big: { Type: "Succeed" },
      Small: { Type: "Fail", Error: "TooSmall", Cause: "n must be over 1" },
    },
  };
  const clock = new VirtualClock(Date.UTC(2025, 0, 1));
  let runtime = createRuntime({ dataDir: dir.dir, clock });
  const { stateMachineArn } = runtime.createStateMachine({
    name: "pick",
    definition: JSON.stringify(definition),
  });
  const arns: string[] = [];
  for (const n of [5, 0]) {
    const { executionArn } = await runtime.startExecution({
      stateMachineArn,
      input: JSON.stringify({ n }),
    });
    arns.push(executionArn);
  }
  await runtime.close();
  // The seed is not part of the API: read it from the store to run the engine by hand.
  const db = new Database(join(dir.dir, "sfn.sqlite"), { readonly: true });
  const seeds = db.prepare("SELECT arn, seed, start_ms FROM executions").all() as Array<{
    arn: string;
    seed: string;
    start_ms: number;
  }>;
  db.close();

  runtime = createRuntime({ dataDir: dir.dir, clock });
  cleanups.push(() => runtime.close());
  const machine = compile(definition);
  for (const [i, executionArn] of arns.entries()) {
    const row = seeds.find((s) => s.arn === executionArn);
    const name = executionArn.slice(executionArn.lastIndexOf(":") + 1);
    const direct = await start(
      machine,
      {
        executionArn,
        stateMachineArn,
        name,
        input: { n: i === 0 ? 5 : 0 },
        startTime: row?.start_ms ?? 0,
        seed: row?.seed ?? "",
        roleArn: "arn:aws:iam::123456789012:role/countersign-local",
      },
      { mintTaskToken: () => "unused" },
    );
    const history = runtime.getExecutionHistory({ executionArn, maxResults: 1000 });

    expect(history.events.map((e) => ({ ...e, timestamp: e.timestamp.getTime() }))).toEqual(
      direct.history,
    );
  }
  expect(runtime.describeExecution({ executionArn: arns[1] ?? "" }).status).toBe("FAILED");
});

it("opens a data directory of the earlier layout (definition per row, stored history)", async () => {
  const dir = tempDir("sfn-old-layout-");
  cleanups.push(dir.remove);
  const t0 = Date.UTC(2025, 0, 1);
  const definitions = {
    done: { StartAt: "P", States: { P: { Type: "Pass", Result: { ok: true }, End: true } } },
    nap: {
      StartAt: "W",
      States: { W: { Type: "Wait", Seconds: 60, Next: "P" }, P: { Type: "Pass", End: true } },
    },
  };
  // Write a data directory, then rewrite it into the old layout.
  let runtime = createRuntime({ dataDir: dir.dir, clock: new VirtualClock(t0) });
  const arns: Record<string, string> = {};
  const before: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const { stateMachineArn } = runtime.createStateMachine({
      name,
      definition: JSON.stringify(definition),
    });
    arns[name] = (
      await runtime.startExecution({ stateMachineArn, name: `${name}-1`, input: '{"k":1}' })
    ).executionArn;
  }
  const doneHistory = runtime.getExecutionHistory({ executionArn: arns.done ?? "" });
  before.done = plain(runtime.describeExecution({ executionArn: arns.done ?? "" }));
  await runtime.close();
  expect(existsSync(join(dir.dir, "sfn.journal"))).toBe(true);
  const db = new Database(join(dir.dir, "sfn.sqlite"));
  const stored = doneHistory.events.map((e) => ({ ...e, timestamp: e.timestamp.getTime() }));
  db.exec(`
    UPDATE executions SET definition =
      (SELECT text FROM definitions WHERE hash = executions.definition_hash);
    ALTER TABLE executions DROP COLUMN definition_hash;
    ALTER TABLE executions DROP COLUMN history_replay;
    DROP TABLE definitions;`);
  db.prepare(
    "INSERT INTO step_history (execution_arn, first_id, last_id, events) VALUES (?, 1, ?, ?)",
  ).run(arns.done, stored.length, JSON.stringify(stored));
  db.close();

  const clock = new VirtualClock(t0);
  runtime = createRuntime({ dataDir: dir.dir, clock });
  cleanups.push(() => runtime.close());
  await clock.advance(60_000);

  expect(plain(runtime.describeExecution({ executionArn: arns.done ?? "" }))).toEqual(before.done);
  expect(plain(runtime.getExecutionHistory({ executionArn: arns.done ?? "" }))).toEqual(
    plain(doneHistory),
  );
  expect(runtime.describeExecution({ executionArn: arns.nap ?? "" }).status).toBe("SUCCEEDED");
  const napTypes = runtime
    .getExecutionHistory({ executionArn: arns.nap ?? "" })
    .events.map((e) => e.type);
  expect(napTypes).toEqual([
    "ExecutionStarted",
    "WaitStateEntered",
    "WaitStateExited",
    "PassStateEntered",
    "PassStateExited",
    "ExecutionSucceeded",
  ]);
  const listed = runtime.listExecutions({}).executions as Array<{ status: string }>;
  expect(listed.map((e) => e.status).sort()).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  // New executions of an old machine go the new way, next to the old rows.
  const machineArn = runtime
    .listStateMachines()
    .stateMachines.find((m) => (m as { name: string }).name === "done") as {
    stateMachineArn: string;
  };
  const again = await runtime.startExecution({ stateMachineArn: machineArn.stateMachineArn });
  expect((await runtime.waitForExecution(again.executionArn)).output).toBe('{"ok":true}');
});
