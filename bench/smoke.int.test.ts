/**
 * The benchmark runs end to end at tiny sizes (every section but `--scale`) and writes well-formed
 * results. No figure is compared with a target here, but every figure must be measured: an engine
 * whose output differs from the peer's, a saga whose orders fail, an approval that never resumes
 * or a Distributed Map that does not tolerate its poisoned batch gives `n/a`, which fails this test.
 */
import { describe, expect, it } from "vitest";
import { runBench } from "./bench.ts";
import { formatMarkdownTable, formatTable } from "./figures.ts";
import { SECTIONS } from "./sections.ts";

describe("npm run bench (quick)", () => {
  it("measures every figure of every section (each engine answers what the peer answers, every order and approval completes)", {
    timeout: 240_000,
  }, async () => {
    const { figures, results } = await runBench({ quick: true });

    const names = Object.keys(results.figures);
    const expected = SECTIONS.filter((s) => s.id !== "scale").flatMap((s) =>
      s.expected.map((e) => e.name),
    );
    expect(names).toEqual(expect.arrayContaining(expected));
    for (const [name, figure] of Object.entries(results.figures)) {
      expect(typeof figure.unit, name).toBe("string");
      expect(figure.value, `${name}: ${figure.note}`).not.toBeNull();
      expect(Number.isFinite(figure.value), name).toBe(true);
    }
    expect(results.figures["engine.passChain.cpuSecPer1k.peer"]?.value).toBeGreaterThan(0);
    expect(results.node).toBe(process.version);
    expect(Number.isNaN(Date.parse(results.date))).toBe(false);
    expect(results.machine).toMatch(/cores/);
    expect(formatTable(figures)).toContain("engine.map10k.ms.peer");
    expect(formatMarkdownTable(figures).split("\n")).toHaveLength(figures.length + 2);
  });
});
