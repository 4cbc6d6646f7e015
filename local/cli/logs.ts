/**
 * `countersign logs tail <stateMachine>`: the log stream of a state machine's Express executions
 * (`<data-dir>/logs/<name>.jsonl`, written by the runtime as AWS writes CloudWatch Logs records),
 * as Express users read CloudWatch Logs: the last lines, then new ones as they come (`--follow`).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { DEFAULT_DATA_DIR } from "../platform/data-dir.ts";
import { expressLogFile } from "../sfn/express-logs.ts";
import { CliInputError } from "./errors.ts";

interface TailOptions {
  dataDir: string;
  lines: string;
  follow?: boolean;
  json?: boolean;
}

function show(line: string, json: boolean | undefined): void {
  if (json) return void console.log(line);
  const r = JSON.parse(line) as {
    event_timestamp: string;
    execution_arn: string;
    type: string;
    details: unknown;
  };
  const name = r.execution_arn.split(":").slice(-2).join(":");
  const details = JSON.stringify(r.details);
  console.log(
    `${new Date(Number(r.event_timestamp)).toISOString()}  ${name}  ${r.type}${details === "{}" ? "" : `  ${details}`}`,
  );
}

export function registerLogsCommands(program: Command): void {
  const logs = program
    .command("logs")
    .description("log streams of Express state machines (as CloudWatch Logs on AWS)");
  const tail = logs
    .command("tail")
    .description(
      "print the last events of a state machine's Express executions; --follow waits for more",
    )
    .argument("<stateMachine>", "the state machine's name or ARN")
    .addOption(
      new Option(
        "--data-dir <dir>",
        "data directory of the runtime (npm start's, or sfn serve's)",
      ).default(DEFAULT_DATA_DIR),
    )
    .addOption(
      new Option("--lines <n>", "how many of the last events to print first").default("20"),
    )
    .addOption(new Option("--follow", "keep printing events as executions end (Ctrl-C stops)"))
    .addOption(
      new Option("--json", "print the log records as they are stored, one JSON object a line"),
    );
  tail.action(async (machine: string, o: TailOptions) => {
    const n = Number(o.lines);
    if (!Number.isInteger(n) || n < 0)
      throw new CliInputError("--lines takes a number of events, 0 or more");
    const file = expressLogFile(resolve(o.dataDir), machine);
    if (!existsSync(file) && !o.follow) {
      throw new CliInputError(
        `No log for ${machine} in ${resolve(o.dataDir)}: only EXPRESS executions are logged, once they end (--follow waits for them)`,
      );
    }
    const read = (from: number): { lines: string[]; size: number } => {
      if (!existsSync(file)) return { lines: [], size: 0 };
      const text = readFileSync(file, "utf8");
      const bytes = Buffer.from(text);
      const added = bytes.subarray(Math.min(from, bytes.length)).toString("utf8");
      return { lines: added.split("\n").filter(Boolean), size: bytes.length };
    };
    let { lines, size } = read(0);
    for (const l of n === 0 ? [] : lines.slice(-n)) show(l, o.json);
    if (!o.follow) return;
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      if (!existsSync(file) || statSync(file).size <= size) continue;
      ({ lines, size } = read(size));
      for (const l of lines) show(l, o.json);
    }
  });
}
