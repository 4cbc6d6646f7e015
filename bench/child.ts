/**
 * Entry point of one section's child process: `node --import tsx bench/child.ts <section> <out>
 * [--quick]`. Runs the section, writes its figures as JSON to `<out>`; progress goes to stderr.
 */
import { writeFileSync } from "node:fs";
import type { Figure } from "./figures.ts";
import type { SectionId } from "./sections.ts";

async function runSection(id: SectionId, quick: boolean): Promise<Figure[]> {
  switch (id) {
    case "engine": {
      const m = await import("./engine-bench.ts");
      return m.runEngineBench(quick ? m.QUICK_ENGINE_OPTIONS : m.FULL_ENGINE_OPTIONS);
    }
    case "saga":
      return (await import("./saga-bench.ts")).runSagaBench({ quick });
    case "approval":
      return (await import("./approval-bench.ts")).runApprovalBench({ quick });
    case "waiting10k":
      return (await import("./waiting-section.ts")).runWaitingSection({ quick });
    case "history25k":
      return (await import("./history-section.ts")).runHistorySection({ quick });
    case "api":
      return (await import("./api-section.ts")).runApiSection({ quick });
    case "teststate":
      return (await import("./teststate-section.ts")).runTestStateSection({ quick });
    case "start":
      return (await import("./start-section.ts")).runStartSection({ quick });
    case "scale":
      return (await import("./scale.ts")).runScaleSection({ quick });
  }
}

const [id, out] = process.argv.slice(2);
if (!id || !out) {
  process.stderr.write("usage: bench/child.ts <section> <out.json> [--quick]\n");
  process.exit(2);
}
const figures = await runSection(id as SectionId, process.argv.includes("--quick"));
writeFileSync(out, JSON.stringify(figures));
// Sections close what they open, but a stray handle (a client's keep-alive socket) must not hold
// the run open past its figures.
process.exit(0);
