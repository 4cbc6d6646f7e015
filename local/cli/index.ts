/** The `countersign` command line (bin/countersign.mjs): the tree of program.ts, run once. */
import { endQuietlyOnClosedPipe } from "./output.ts";
import { buildProgram } from "./program.ts";

endQuietlyOnClosedPipe();
try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  // One line a person can act on (a refused catalogue lists its rows); the stack only when asked.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`countersign: ${message}`);
  if (process.env.COUNTERSIGN_DEBUG) console.error(error);
  process.exit(1);
}
