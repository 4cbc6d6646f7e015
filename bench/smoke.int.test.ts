/**
 * The benchmark runs end to end at tiny sizes and writes well-formed results. No figure is
 * compared with a target here, but every engine figure must be measured: an engine whose output
 * differs from the peer's (or from the expected one) is not timed, and its `n/a` fails this test.
 */
import { describe, expect, it } from "vitest";
import { runBench } from "./bench.ts";
import { formatMarkdownTable, formatTable } from "./figures.ts";
import { SECTIONS } from "./sections.ts";

describe("npm run bench (quick)", () => {
  it("measures every engine figure (each side answers what the peer answers) and the API bundle", {
    timeout: 180_000,
  }, async () => {
    const { figures, results } = await runBench({ quick: true, only: ["engine", "api"] });

    const names = Object.keys(results.figures);
    const expected = SECTIONS.filter((s) => s.id === "engine" || s.id === "api").flatMap((s) =>
      s.expected.map((e) => e.name),
    );
    expect(names).toEqual(expect.arrayContaining(expected));
    for (const [name, figure] of Object.entries(results.figures)) {
      expect(typeof figure.unit, name).toBe("string");
      if (name.startsWith("engine.")) {
        expect(figure.value, `${name}: ${figure.note}`).not.toBeNull();
      }
      if (figure.value === null) expect(figure.note, `${name} needs a reason`).toBeTruthy();
      else expect(Number.isFinite(figure.value), name).toBe(true);
    }
    expect(results.figures["engine.passChain.cpuSecPer1k.peer"]?.value).toBeGreaterThan(0);
    expect(results.node).toBe(process.version);
    expect(Number.isNaN(Date.parse(results.date))).toBe(false);
    expect(results.machine).toMatch(/cores/);
    expect(formatTable(figures)).toContain("engine.map10k.ms.peer");
    expect(formatMarkdownTable(figures).split("\n")).toHaveLength(figures.length + 2);
  });
});
