/**
 * The `countersign` command line. Each command group lives in its own module and adds itself to
 * the program here; commander gives `--help` on every level.
 */
import { Command } from "commander";
import { sfnCommand } from "./sfn.ts";

const program = new Command()
  .name("countersign")
  .description("Human-approval workflows and order sagas on AWS Step Functions, run locally.")
  .showHelpAfterError()
  .version("0.1.0");

// Command groups register below (one line each).
program.addCommand(sfnCommand());

await program.parseAsync(process.argv);
