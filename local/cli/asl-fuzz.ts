/**
 * `countersign asl fuzz <file> --handlers MODULE --invariants MODULE --runs N`: fault-injection
 * runs of any definition on the virtual clock (local/fuzz/), checking the user's invariants after
 * each; on a violation, prints the shrunk schedule and the command that replays it (exit 1).
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import type { FuzzReport, Invariants } from "../fuzz/fuzz.ts";
import type { FunctionMap } from "../sfn/index.ts";

interface FuzzOptions {
  handlers: string;
  invariants: string;
  runs: number;
  seed?: number;
  run?: number;
  replay?: string;
  json?: boolean;
}

const count = (flag: string, min: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new InvalidArgumentError(`${flag} takes a whole number ≥ ${min}, got '${value}'`);
  }
  return n;
};

async function load(module: string, flag: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(resolve(module)).href)) as Record<string, unknown>;
  } catch (cause) {
    throw new InvalidArgumentError(
      `${flag} ${module} cannot be loaded: ${(cause as Error).message}`,
    );
  }
}

async function loadHandlers(module: string): Promise<FunctionMap> {
  const map = (await load(module, "--handlers")).default;
  if (!map || typeof map !== "object") {
    throw new InvalidArgumentError(
      `--handlers ${module} must default-export an object mapping function names or ARNs to handlers`,
    );
  }
  return map as FunctionMap;
}

async function loadInvariants(module: string): Promise<Invariants> {
  const mod = await load(module, "--invariants");
  const inv = (typeof mod.check === "function" ? mod : mod.default) as Invariants | undefined;
  if (!inv || typeof inv.check !== "function") {
    throw new InvalidArgumentError(
      `--invariants ${module} must export check(run) => string[] (the violations), as a named export or on its default export`,
    );
  }
  return inv;
}

/** The command that replays one run with a schedule (shell-quoted). */
function replayCommand(file: string, o: FuzzOptions, seed: number, run: number, schedule: unknown) {
  const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  return `countersign asl fuzz ${q(file)} --handlers ${q(o.handlers)} --invariants ${q(o.invariants)} --seed ${seed} --run ${run} --replay ${q(JSON.stringify(schedule))}`;
}

function print(file: string, o: FuzzOptions, seed: number, r: FuzzReport, seconds: number) {
  const outcomes = Object.entries(r.outcomes)
    .map(([k, n]) => `${k}: ${n}`)
    .join(", ");
  const v = r.violation;
  console.log(
    `${r.runs} runs, ${v ? 1 : 0} violation(s) in ${seconds.toFixed(1)} s (seed ${seed}; ${r.faultsInjected} faults injected, ${r.crashes} runtime crashes; ${outcomes})`,
  );
  if (!v) return;
  console.log(`\nrun ${v.run} violated the invariants:`);
  for (const line of v.violations) console.log(`  - ${line}`);
  console.log(`its schedule: ${JSON.stringify(v.schedule)}`);
  console.log(
    `shrunk schedule (${v.shrunk.tries} candidates tried): ${JSON.stringify(v.shrunk.schedule)}`,
  );
  for (const line of v.shrunk.violations) console.log(`  - ${line}`);
  console.log(`replay: ${replayCommand(file, o, seed, v.run, v.shrunk.schedule)}`);
}

export function aslFuzzCommand(): Command {
  return new Command("fuzz")
    .description(
      "Run a definition N times with faults injected at its Task states (errors, timeouts, duplicate deliveries, runtime crash and resume) on the virtual clock, checking your invariants after each",
    )
    .argument("<file>", "ASL definition file (JSON)")
    .requiredOption(
      "--handlers <module>",
      "module whose default export maps function names to handlers",
    )
    .requiredOption(
      "--invariants <module>",
      "module exporting check(run) => violations, and optionally input({run, random}), setup(), teardown()",
    )
    .option("--runs <n>", "how many executions", count("--runs", 1), 100)
    .option(
      "--seed <n>",
      "seed of the schedules (default: from the time; printed)",
      count("--seed", 0),
    )
    .option("--run <k>", "with --replay: the run whose input to use", count("--run", 0))
    .option("--replay <schedule>", "run once with this schedule (the JSON fuzz printed)")
    .option("--json", "print the report as JSON")
    .action(async (file: string, o: FuzzOptions) => {
      // The engine loads only when the command runs (the CLI starts fast for everything else).
      const [{ fuzz }, { parseSchedule }, { taskStates }, { loadDefinition }] = await Promise.all([
        import("../fuzz/fuzz.ts"),
        import("../fuzz/schedule.ts"),
        import("../fuzz/task-states.ts"),
        import("../testing/definition-source.ts"),
      ]);
      // `${NameFunctionArn}` placeholders reach handler `Name`, as in the testing library.
      let definition: string;
      try {
        definition = loadDefinition(
          { file },
          (name) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
        ).text;
      } catch (cause) {
        throw new InvalidArgumentError((cause as Error).message);
      }
      const states = taskStates(JSON.parse(definition)).map((t) => t.name);
      if (o.run !== undefined && o.replay === undefined) {
        throw new InvalidArgumentError("--run goes with --replay <schedule>");
      }
      const replay =
        o.replay === undefined
          ? undefined
          : { run: o.run ?? 0, schedule: parseSchedule(o.replay, states) };
      const seed = o.seed ?? Date.now() % 2_147_483_647;
      const handlers = await loadHandlers(o.handlers);
      const invariants = await loadInvariants(o.invariants);
      const started = performance.now();
      let shown = 0;
      const report = await fuzz({
        definition,
        handlers,
        invariants,
        runs: o.runs,
        seed,
        ...(replay ? { replay } : {}),
        onProgress: ({ done, runs }) => {
          // Progress on long runs: a line every 2 s (stderr, so stdout stays the report).
          const now = performance.now();
          if (now - shown < 2000 && done < runs) return;
          shown = now;
          const rate = done / ((now - started) / 1000);
          process.stderr.write(`fuzz: ${done}/${runs} runs (${rate.toFixed(1)} runs/s)\n`);
        },
      });
      const seconds = (performance.now() - started) / 1000;
      if (o.json) console.log(JSON.stringify({ seed, seconds, ...report }, null, 2));
      else print(file, o, seed, report, seconds);
      if (report.violation) process.exitCode = 1;
    });
}
