/**
 * `countersign asl run` runs one definition in memory and prints its result as JSON;
 * `countersign asl test` runs corpus-format cases and ends with `N passed, M failed`;
 * `countersign asl lint` is in `asl-lint.ts`, `countersign asl fuzz` in `asl-fuzz.ts`.
 */
import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { compile, type Json } from "../asl/index.ts";
import { judgeCase, loadCases, runToCompletion } from "../sfn/index.ts";
import { aslFuzzCommand } from "./asl-fuzz.ts";
import { aslLintCommand } from "./asl-lint.ts";

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

export function aslCommand(): Command {
  const asl = new Command("asl").description("Run Amazon States Language definitions locally");
  asl
    .command("run")
    .description("Run a definition to completion in memory (virtual clock) and print the result")
    .argument("<definition>", "ASL definition file (JSON)")
    .option("--input <json>", "execution input: JSON, or @file", parseInput, {})
    .action(async (file: string, opts: { input: Json }) => {
      const machine = compile(readDefinition(file));
      const r = await runToCompletion(machine, opts.input);
      const printed =
        r.status === "SUCCEEDED"
          ? { status: r.status, output: r.output }
          : { status: r.status, error: r.error, cause: r.cause };
      console.log(JSON.stringify(printed, null, 2));
      if (r.status !== "SUCCEEDED") process.exitCode = 1;
    });
  asl
    .command("test")
    .description("Run corpus-format cases (files or directories of *.json) and report differences")
    .argument("<paths...>", "case files or directories")
    .action(async (paths: string[]) => {
      const cases = loadCases(paths);
      let passed = 0;
      let failed = 0;
      for (const c of cases) {
        const v = await judgeCase(c);
        if (v.pass) passed++;
        else {
          failed++;
          console.log(`FAIL ${c.name ?? v.file} (${v.file})\n  ${v.diff}`);
        }
      }
      console.log(`${passed} passed, ${failed} failed`);
      if (failed > 0) process.exitCode = 1;
    });
  asl.addCommand(aslLintCommand());
  asl.addCommand(aslFuzzCommand());
  return asl;
}
