/**
 * Child process for the journal crash test. `node --import tsx journal-crash-worker.ts <dataDir>`:
 * creates a machine of Pass states, holds SQLite's write lock from a second connection (so nothing
 * can reach SQLite but the journal), runs executions that end in their first step (named and
 * unnamed), prints what DescribeExecution and GetExecutionHistory answer for each once it is
 * SUCCEEDED, then waits to be killed.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { createRuntime } from "../../local/sfn/index.ts";

const [dataDir = ""] = process.argv.slice(2);
const runtime = createRuntime({ dataDir });
const { stateMachineArn } = runtime.createStateMachine({
  name: "pass-chain",
  definition: JSON.stringify({
    StartAt: "A",
    States: {
      A: { Type: "Pass", Result: "a", ResultPath: "$.a", Next: "B" },
      B: { Type: "Pass", Parameters: { "order.$": "$.order", "a.$": "$.a" }, End: true },
    },
  }),
});

// From here on the journal is the only way to durability: SQLite refuses every other writer.
const lock = new Database(join(dataDir, "sfn.sqlite"));
lock.exec("BEGIN IMMEDIATE");

const out: Array<{ describe: unknown; history: unknown }> = [];
for (let i = 0; i < 20; i++) {
  const { executionArn } = await runtime.startExecution({
    stateMachineArn,
    input: JSON.stringify({ order: `o-${i}`, note: 'tabs\tquotes"\nnewlines' }),
    ...(i % 2 ? { name: `named-${i}` } : {}),
  });
  const describe = await runtime.waitForExecution(executionArn);
  const history = runtime.getExecutionHistory({ executionArn, maxResults: 1000 });
  out.push({ describe, history });
}
process.stdout.write(`${JSON.stringify(out)}\nREADY\n`);
setInterval(() => {}, 1000); // stay alive until SIGKILL
