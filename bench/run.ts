/**
 * `npm run bench`: runs every benchmark, prints the table, writes `bench/results.json` and the
 * table block of `bench/README.md`.
 *
 *   npm run bench                         full run (about 3-4 minutes on 2 cores)
 *   npm run bench -- --only engine,api    some sections
 *   npm run bench -- --scale              also 1,000,000 waiting executions (long); a run
 *                                         without it keeps the last scale figures in results.json
 *   BENCH_QUICK=1 npm run bench           tiny sizes, results to the temp dir (plumbing check)
 *   npm run bench -- --out /tmp/r.json    write results elsewhere (README left alone)
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runBench } from "./bench.ts";
import { type Figure, formatMarkdownTable, formatTable, type Results } from "./figures.ts";
import { completeFigures, SECTIONS, type SectionId } from "./sections.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: process.env.BENCH_QUICK === "1" },
    only: { type: "string" },
    scale: { type: "boolean", default: false },
    out: { type: "string" },
  },
});

const known = new Set<string>(SECTIONS.map((s) => s.id));
const only = values.only?.split(",").map((s) => s.trim());
for (const id of only ?? []) {
  if (!known.has(id)) {
    process.stderr.write(`--only: unknown section "${id}"; use one of ${[...known].join(", ")}\n`);
    process.exit(2);
  }
}

const defaultOut = fileURLToPath(new URL("./results.json", import.meta.url));
// A quick run measures nothing worth keeping: it must not overwrite the committed results.
const out =
  values.out ?? (values.quick ? join(tmpdir(), "countersign-bench-quick.json") : defaultOut);
const { figures, results } = await runBench({
  quick: values.quick,
  scale: values.scale,
  ...(only ? { only: only as SectionId[] } : {}),
});

// The scale figures take long to measure: a full run without `--scale` keeps the last ones.
if (out === defaultOut && !values.quick && !results.scaleRun && existsSync(defaultOut)) {
  const previous = JSON.parse(readFileSync(defaultOut, "utf8")) as Results;
  const spec = SECTIONS.find((s) => s.id === "scale");
  if (previous.scaleRun && spec) {
    const carried: Figure[] = Object.entries(previous.figures)
      .filter(([name]) => name.startsWith("scale."))
      .map(([name, f]) => ({ name, ...f }));
    const completed = completeFigures(spec, carried, "not measured by the last --scale run");
    figures.push(...completed);
    for (const f of completed) {
      results.figures[f.name] = {
        value: f.value,
        unit: f.unit,
        ...(f.note !== undefined ? { note: f.note } : {}),
      };
    }
    results.scaleRun = previous.scaleRun;
  }
}

process.stdout.write(`\n${formatTable(figures)}\n\n`);
process.stdout.write(
  `machine: ${results.machine}; node ${results.node}; ${results.durationSec} s\n`,
);
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`wrote ${out}\n`);

// The README's table is the committed record of a full run; partial or quick runs leave it alone.
if (out === defaultOut && !values.quick && !only) {
  const readme = fileURLToPath(new URL("./README.md", import.meta.url));
  const start = "<!-- bench:table:start -->";
  const end = "<!-- bench:table:end -->";
  const text = readFileSync(readme, "utf8");
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) {
    const block = [
      start,
      `\`npm run bench${values.scale ? " -- --scale" : ""}\` on ${results.date.slice(0, 16).replace("T", " ")} UTC: ${results.machine}; Node ${results.node}; load average ${results.loadAverage} at start; whole run ${results.durationSec} s${scaleLine(results)}.`,
      "",
      formatMarkdownTable(figures),
      "",
    ].join("\n");
    writeFileSync(readme, text.slice(0, from) + block + text.slice(to));
    process.stdout.write(`updated the table in ${readme}\n`);
  }
}

/** Where the scale figures of the table come from. */
function scaleLine(r: Results): string {
  if (!r.scaleRun) return "";
  const when = r.scaleRun.date.slice(0, 16).replace("T", " ");
  return `; scale figures from the \`--scale\` run ending ${when} UTC (${r.scaleRun.durationSec} s)`;
}
