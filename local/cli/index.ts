/**
 * The `countersign` command line. Each command group lives in its own module and adds itself to
 * the program here; commander gives `--help` on every level.
 */
import { Command } from "commander";
import { aslCommand } from "./asl.ts";
import { registerOperationCommands } from "./operations.ts";
import { registerPlatformCommands } from "./platform.ts";
import { sfnCommand } from "./sfn.ts";

const program = new Command()
  .name("countersign")
  .description("Human-approval workflows and order sagas on AWS Step Functions, run locally.")
  .showHelpAfterError()
  .version("0.1.0");

// Command groups register below (one line each).
program.addCommand(aslCommand());
program.addCommand(sfnCommand());
registerPlatformCommands(program);
registerOperationCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // One line a person can act on; the stack only when asked for.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`countersign: ${message}`);
  if (process.env.COUNTERSIGN_DEBUG) console.error(error);
  process.exit(1);
}
