/**
 * The `countersign` command tree. Each command group lives in its own module and adds itself
 * here; commander gives `--help` on every level. Built by a function so the help test walks the
 * very tree `index.ts` runs.
 */
import { Command } from "commander";
import { registerApprovalCommands } from "./approvals.ts";
import { aslCommand } from "./asl.ts";
import { registerCatalogueCommands } from "./catalogue.ts";
import { registerExecutionCommands } from "./executions.ts";
import { registerInventoryCommands } from "./inventory.ts";
import { registerLogsCommands } from "./logs.ts";
import { registerOperationCommands } from "./operations.ts";
import { registerOrderCommands } from "./orders.ts";
import { registerOutboxCommands } from "./outbox.ts";
import { registerS3Commands } from "./s3.ts";
import { sfnCommand } from "./sfn.ts";
import { registerStartCommand } from "./start.ts";

export function buildProgram(): Command {
  const program = new Command()
    .name("countersign")
    .description(
      "Human-approval workflows and order sagas on AWS Step Functions: run them locally, or work on a deployed stage (--stage).",
    )
    .showHelpAfterError()
    .version("0.1.0");
  program.addCommand(aslCommand());
  program.addCommand(sfnCommand());
  registerStartCommand(program);
  registerCatalogueCommands(program);
  registerOrderCommands(program);
  registerApprovalCommands(program);
  registerExecutionCommands(program);
  registerOutboxCommands(program);
  registerS3Commands(program);
  registerInventoryCommands(program);
  registerLogsCommands(program);
  registerOperationCommands(program);
  return program;
}
