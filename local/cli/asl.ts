/**
 * `countersign asl run` runs one definition in memory and prints its result as JSON;
 * `countersign asl test` runs corpus-format cases and ends with `N passed, M failed`;
 * `countersign asl lint` is in `asl-lint.ts`, `countersign asl fuzz` in `asl-fuzz.ts`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import type { Json } from "../asl/index.ts";
import type { CorpusCase } from "../sfn/index.ts";
import { aslFuzzCommand } from "./asl-fuzz.ts";
import { aslLintCommand } from "./asl-lint.ts";
import { print } from "./output.ts";

/**
 * The engine and its one driver (the runtime's executor on an in-memory store), loaded when a
 * command runs them, not for `--help` or the other commands.
 */
async function engine() {
  const [{ compile }, { runToCompletion, loadCases, judgeCase }] = await Promise.all([
    import("../asl/index.ts"),
    import("../sfn/index.ts"),
  ]);
  return { compile, runToCompletion, loadCases, judgeCase };
}

/** Parses `--input`: inline JSON, or `@file` holding JSON. */
function parseInput(value: string): Json {
  const text = value.startsWith("@") ? readFileSync(value.slice(1), "utf8") : value;
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new InvalidArgumentError(
      `--input must be JSON or @file with JSON (${(e as Error).message}); e.g. --input '{"order":1}'`,
    );
  }
}

function readDefinition(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InvalidArgumentError(`cannot read definition ${file}: ${(e as Error).message}`);
  }
  return text;
}

/**
 * The case files under `paths`, in the order `loadCases` reads them (directories sorted, `_` files
 * skipped, `*.json` only); a path that cannot be read is returned as is, to be reported by name.
 */
function caseFiles(paths: string[]): string[] {
  const out: string[] = [];
  const visit = (p: string, named: boolean): void => {
    let dir: boolean;
    try {
      dir = statSync(p).isDirectory();
    } catch {
      out.push(p);
      return;
    }
    if (dir) {
      for (const f of readdirSync(p).sort()) if (!f.startsWith("_")) visit(join(p, f), false);
    } else if (named || p.endsWith(".json")) out.push(p);
  };
  for (const p of paths) visit(p, true);
  return out;
}

/** One case that did not pass: its file, its name when it has one, and what differed. */
interface Failure {
  file: string;
  name?: string;
  problem: string;
}

/**
 * Runs the cases of one file. A file that is not JSON, or not a case, fails by its name and the
 * run goes on: one broken file in a folder of hundreds must not hide the verdicts of the rest.
 */
async function judgeFile(file: string): Promise<Failure | undefined> {
  const { loadCases, judgeCase } = await engine();
  let cases: CorpusCase[];
  try {
    cases = loadCases([file]);
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    return { file, problem: `cannot be read as a case (${reason.replace(/\s+/g, " ")})` };
  }
  for (const c of cases) {
    try {
      const v = await judgeCase(c);
      if (!v.pass) return { file, name: c.name, problem: v.diff ?? "differs" };
    } catch (e) {
      return { file, name: c.name, problem: `is not a corpus case (${(e as Error).message})` };
    }
  }
  return undefined;
}

const json = () => new Option("--json", "print JSON for scripts");

export function aslCommand(): Command {
  const asl = new Command("asl").description("Run Amazon States Language definitions locally");
  asl
    .command("run")
    .description("Run a definition to completion in memory (virtual clock) and print the result")
    .argument("<definition>", "ASL definition file (JSON)")
    .option("--input <json>", "execution input: JSON, or @file", parseInput, {})
    .addOption(new Option("--json", "print JSON for scripts (what this command always prints)"))
    .action(async (file: string, opts: { input: Json }) => {
      const { compile, runToCompletion } = await engine();
      const machine = compile(readDefinition(file));
      const r = await runToCompletion(machine, opts.input);
      print(
        r.status === "SUCCEEDED"
          ? { status: r.status, output: r.output }
          : { status: r.status, error: r.error, cause: r.cause },
      );
      if (r.status !== "SUCCEEDED") process.exitCode = 1;
    });
  asl
    .command("test")
    .description("Run corpus-format cases (files or directories of *.json) and report differences")
    .argument("<paths...>", "case files or directories")
    .addOption(json())
    .action(async (paths: string[], o: { json?: boolean }) => {
      let passed = 0;
      const failures: Failure[] = [];
      for (const file of caseFiles(paths)) {
        const failure = await judgeFile(file);
        if (!failure) passed++;
        else {
          failures.push(failure);
          if (!o.json)
            console.log(
              `FAIL ${failure.name ?? failure.file} (${failure.file})\n  ${failure.problem}`,
            );
        }
      }
      if (o.json) print({ passed, failed: failures.length, failures });
      else console.log(`${passed} passed, ${failures.length} failed`);
      if (failures.length > 0) process.exitCode = 1;
    });
  asl.addCommand(aslLintCommand());
  asl.addCommand(aslFuzzCommand());
  return asl;
}
