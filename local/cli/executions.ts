/**
 * `countersign executions list|describe|history|redrive`, on the local platform or a deployed
 * stage; `executions advance` (time travel, local only) is in executions-advance.ts.
 */
import { type Command, Option } from "commander";
import { registerAdvanceCommand } from "./executions-advance.ts";
import { iso, print } from "./output.ts";
import { connect, type TargetOptions, targetOptions } from "./target.ts";

const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];
const EXECUTION =
  "execution ARN, or its name (the order id), or the start of a name only one execution has";

export function registerExecutionCommands(program: Command): void {
  const executions = program.command("executions").description("inspect saga executions");
  const list = executions
    .command("list")
    .description("executions of the order saga, newest first")
    .addOption(
      new Option("--status <status>", "only executions with this status").choices(STATUSES),
    );
  targetOptions(list).action(async (o: TargetOptions & { status?: string }) => {
    const out = await (await connect(list, o)).listExecutions(o.status);
    if (o.json) return print({ executions: out.executions ?? [] });
    if (!out.executions?.length)
      return console.log(`No${o.status ? ` ${o.status}` : ""} executions.`);
    for (const e of out.executions ?? [])
      console.log(
        `${String(e.status).padEnd(10)} ${e.name}  ${iso(e.startDate)}  ${e.executionArn}`,
      );
  });

  const describe = executions
    .command("describe")
    .description("status, input and output of one execution")
    .argument("<execution>", EXECUTION);
  targetOptions(describe).action(async (ref: string, o: TargetOptions) => {
    const client = await connect(describe, o);
    const arn = await client.resolveExecution(ref);
    const { $metadata: _m, ...e } = await client.describeExecution(arn);
    if (o.json) return print(e);
    console.log(`${e.name}: ${e.status}${e.error ? ` (${e.error}: ${e.cause})` : ""}`);
    console.log(`  started ${iso(e.startDate)}${e.stopDate ? `, stopped ${iso(e.stopDate)}` : ""}`);
    if (e.output) console.log(`  output ${e.output}`);
  });

  const redrive = executions
    .command("redrive")
    .description("restart a failed, timed-out or aborted execution from where it stopped")
    .argument("<execution>", EXECUTION);
  targetOptions(redrive).action(async (ref: string, o: TargetOptions) => {
    const client = await connect(redrive, o);
    const arn = await client.resolveExecution(ref);
    const { $metadata: _m, ...r } = await client.redriveExecution(arn);
    if (o.json) return print(r);
    console.log(`Redriven at ${iso(r.redriveDate)}: ${r.executionArn}`);
  });

  const history = executions
    .command("history")
    .description("the execution's event history (task tokens redacted)")
    .argument("<execution>", EXECUTION);
  targetOptions(history).action(async (ref: string, o: TargetOptions) => {
    const client = await connect(history, o);
    const events = await client.history(await client.resolveExecution(ref));
    if (o.json) return print({ events });
    for (const e of events) {
      const details = Object.entries(e).find(([k]) => k.endsWith("EventDetails"))?.[1] as
        | { name?: string; error?: string }
        | undefined;
      console.log(
        `${String(e.id).padStart(4)}  ${iso(e.timestamp)}  ${e.type}${details?.name ? `  ${details.name}` : ""}${details?.error ? `  ${details.error}` : ""}`,
      );
    }
  });
  registerAdvanceCommand(executions);
}
