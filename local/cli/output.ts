/** Printing for the CLI's commands: JSON for scripts, short lines for people. */

/** Prints a value as indented JSON (`--json`). */
export const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/** A date (or an ISO string already) as an ISO string; empty when absent. */
export const iso = (d: Date | string | undefined) =>
  d === undefined ? "" : typeof d === "string" ? d : d.toISOString();

/**
 * A reader that stops reading (`countersign orders list | head -1`) closes the pipe, and the next
 * write fails with EPIPE, which Node raises as an unhandled 'error' event: a stack trace and
 * exit 1 for a command that did what was asked. Like `ls | head`, the command then ends quietly,
 * and with status 0, since nothing went wrong that the reader did not choose. Other write errors
 * (a full disk behind a redirect) still fail loudly.
 */
export function endQuietlyOnClosedPipe(
  streams: NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(0);
      throw error;
    });
  }
}
