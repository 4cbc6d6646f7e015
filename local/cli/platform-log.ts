/**
 * `countersign start` owns its process, and everything its parts print — the handlers' JSON logs
 * (Powertools writes to stdout and stderr), the engine's and the emulators' messages, the
 * dashboard's build — goes to `platform.log` in the data directory, so the terminal shows one
 * start-up block a person can read. `--verbose` shows the log in the terminal as well.
 */
import { closeSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";

/** The log's name in the data directory. */
export const LOG_FILE = "platform.log";
/** Past this size at start, the log is moved to `platform.log.1` (replacing the one before). */
const ROTATE_BYTES = 10 * 1024 * 1024;

export interface PlatformLog {
  /** The log file's path. */
  file: string;
  /** Writes a line to the terminal, whatever the process's other output does. */
  say(line: string): void;
  /** Writes a line to the log (and to the terminal with `--verbose`). */
  log(line: string): void;
  /** Stops routing: the process writes to the terminal again. */
  restore(): void;
}

type Write = typeof process.stdout.write;

/**
 * Routes this process's stdout and stderr to `<dataDir>/platform.log` (appending), until
 * `restore`. Writes are synchronous, so a crash loses no line of what led to it.
 */
export function routeToLog(dataDir: string, options: { verbose: boolean }): PlatformLog {
  const file = join(dataDir, LOG_FILE);
  rotate(file);
  const fd = openSync(file, "a");
  const terminal = {
    out: process.stdout.write.bind(process.stdout) as Write,
    err: process.stderr.write.bind(process.stderr) as Write,
  };
  const original = { out: process.stdout.write, err: process.stderr.write };
  const toLog = (echo: Write): Write =>
    ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
      if (typeof chunk === "string") writeSync(fd, chunk);
      else writeSync(fd, chunk);
      if (options.verbose) return echo(chunk, encoding as BufferEncoding, callback as () => void);
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") done();
      return true;
    }) as Write;
  process.stdout.write = toLog(terminal.out);
  process.stderr.write = toLog(terminal.err);
  writeSync(fd, `\n--- countersign start, pid ${process.pid}, ${new Date().toISOString()}\n`);
  let open = true;
  return {
    file,
    say: (line) => {
      terminal.out(`${line}\n`);
    },
    log: (line) => {
      process.stdout.write(`${line}\n`);
    },
    restore: () => {
      if (!open) return;
      open = false;
      process.stdout.write = original.out;
      process.stderr.write = original.err;
      closeSync(fd);
    },
  };
}

function rotate(file: string): void {
  try {
    if (statSync(file).size > ROTATE_BYTES) renameSync(file, `${file}.1`);
  } catch {
    // No log yet.
  }
}
