/**
 * `countersign asl lint <file...>`: the definition's validation errors, then the saga-safety and
 * AWS warning rules of `local/asl/lint`, one finding per line (`file:location: CODE message`) and
 * a summary, or `--json`. A sidecar `<name>.lint.json` beside a definition (or `--config FILE`)
 * holds its LintOptions. Exit 0: no ERROR (warnings allowed, unless --strict); 1: an ERROR (or a
 * WARNING with --strict); 2: a file or config that cannot be read.
 */
import { existsSync, readFileSync } from "node:fs";
import { Command } from "commander";
import type { Diagnostic, LintOptions } from "../asl/index.ts";

/** A finding with the file it is in. */
export type FileDiagnostic = Diagnostic & { file: string };

class LintInputError extends Error {
  override name = "LintInputError";
}

function read(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new LintInputError(
      `cannot read ${what} ${file}: ${code === "ENOENT" ? "no such file" : String(cause)}`,
      { cause },
    );
  }
}

const LIST_FIELDS = ["readOnly", "irreversible"] as const;

/** Reads a lint config, checking its shape so a typo is an error rather than a silent no-op. */
export function readLintConfig(file: string): LintOptions {
  let raw: unknown;
  try {
    raw = JSON.parse(read(file, "lint config"));
  } catch (cause) {
    if (cause instanceof LintInputError) throw cause;
    throw new LintInputError(`lint config ${file} is not JSON: ${(cause as Error).message}`);
  }
  const bad = (why: string) => new LintInputError(`lint config ${file}: ${why}`);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw bad("not an object");
  const config = raw as Record<string, unknown>;
  const isStrings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === "string");
  for (const key of Object.keys(config)) {
    if (key.startsWith("//")) continue;
    const v = config[key];
    if ((LIST_FIELDS as readonly string[]).includes(key)) {
      if (!isStrings(v)) throw bad(`${key} must be an array of strings`);
    } else if (key === "compensations") {
      if (
        typeof v !== "object" ||
        v === null ||
        Object.values(v).some((c) => typeof c !== "string")
      )
        throw bad("compensations must map step names to compensation state names");
    } else if (key === "ignore") {
      if (typeof v !== "object" || v === null || !Object.values(v).every(isStrings))
        throw bad("ignore must map state names to arrays of codes");
    } else {
      throw bad(`unknown field '${key}' (use readOnly, compensations, irreversible, ignore)`);
    }
  }
  return config as LintOptions;
}

/** `order-saga.asl.json` → `order-saga.asl.lint.json`. */
export function sidecarOf(file: string): string {
  return file.endsWith(".json") ? `${file.slice(0, -5)}.lint.json` : `${file}.lint.json`;
}

/** Validation and lint findings of one definition file. */
export async function lintFile(
  file: string,
  options: LintOptions,
): Promise<{ diagnostics: FileDiagnostic[]; suppressed: number }> {
  // The engine is loaded when a file is linted, not for `--help` or the other commands.
  const { compile, DefinitionError, lintReport } = await import("../asl/index.ts");
  const text = read(file, "definition");
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (e) {
    const message = `The definition is not valid JSON: ${(e as Error).message}.`;
    return {
      diagnostics: [{ file, severity: "ERROR", code: "INVALID_JSON_DESCRIPTION", message }],
      suppressed: 0,
    };
  }
  const found: Diagnostic[] = [];
  try {
    compile(definition);
  } catch (e) {
    if (!(e instanceof DefinitionError)) throw e;
    found.push(...e.diagnostics);
  }
  const report = lintReport(definition, options);
  found.push(...report.diagnostics);
  return {
    diagnostics: found.map((d) => ({ file, ...d })),
    suppressed: report.suppressed.length,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function aslLintCommand(): Command {
  return new Command("lint")
    .description(
      "Check definitions for saga-safety problems (callbacks without timeouts, side effects without Catch, failures that skip or misorder compensations) and AWS's validation warnings",
    )
    .argument("<files...>", "ASL definition files (JSON)")
    .option("--json", "print the findings as a JSON array")
    .option("--strict", "exit 1 on warnings too")
    .option(
      "--config <file>",
      "lint options for every file (default: <name>.lint.json beside each)",
    )
    .option(
      "--read-only <names...>",
      "Tasks that change nothing: state, Lambda function or resource names (* wildcards)",
    )
    .action(
      async (
        files: string[],
        opts: { json?: boolean; strict?: boolean; config?: string; readOnly?: string[] },
      ) => {
        const all: FileDiagnostic[] = [];
        let suppressed = 0;
        let unreadable = false;
        for (const file of files) {
          try {
            const configFile =
              opts.config ?? (existsSync(sidecarOf(file)) ? sidecarOf(file) : undefined);
            const options = configFile ? readLintConfig(configFile) : {};
            options.readOnly = [...(options.readOnly ?? []), ...(opts.readOnly ?? [])];
            const r = await lintFile(file, options);
            all.push(...r.diagnostics);
            suppressed += r.suppressed;
          } catch (e) {
            if (!(e instanceof LintInputError)) throw e;
            console.error(`countersign: ${e.message}`);
            unreadable = true;
          }
        }
        const errors = all.filter((d) => d.severity === "ERROR").length;
        const warnings = all.length - errors;
        if (opts.json) console.log(JSON.stringify(all, null, 2));
        else {
          for (const d of all)
            console.log(`${d.file}:${d.location || "/"}: ${d.code} ${d.message}`);
          const extra = suppressed > 0 ? ` (${suppressed} suppressed by lint config)` : "";
          console.log(
            `${plural(files.length, "file")}: ${plural(errors, "error")}, ${plural(warnings, "warning")}${extra}`,
          );
        }
        if (unreadable) process.exitCode = 2;
        else if (errors > 0 || (opts.strict && warnings > 0)) process.exitCode = 1;
      },
    );
}
