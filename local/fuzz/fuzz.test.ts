/**
 * The fuzzer on a small saga (fixtures/): the saga as written survives every schedule; with its
 * refund step removed the fuzzer finds the money it keeps, shrinks the schedule, and the shrunk
 * schedule replays the violation. Also: faults of every kind are injected, crashes resume.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import handlers from "./fixtures/toy-handlers.ts";
import * as invariants from "./fixtures/toy-invariants.ts";
import { fuzz } from "./fuzz.ts";
import type { Fault } from "./schedule.ts";

const definition = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

describe("countersign asl fuzz", () => {
  it("finds no violation in the saga as written, under every kind of fault", async () => {
    const report = await fuzz({
      definition: definition("toy-saga.asl.json"),
      handlers,
      invariants,
      runs: 60,
      seed: 7,
    });

    expect(report.violation).toBeUndefined();
    expect(report.runs).toBe(60);
    expect(report.crashes).toBeGreaterThan(0);
    expect(report.faultsInjected).toBeGreaterThan(30);
    // Both ends were reached: the fuzz explored the compensation path, not only the happy one.
    expect(report.outcomes.SUCCEEDED).toBeGreaterThan(0);
    expect(report.outcomes["FAILED OrderFailed"]).toBeGreaterThan(0);
  });

  it("finds the kept money when the refund step is removed, shrinks, and the shrunk schedule replays it", async () => {
    const broken = definition("toy-saga-no-refund.asl.json");
    const report = await fuzz({ definition: broken, handlers, invariants, runs: 200, seed: 7 });

    const v = report.violation;
    expect(v?.violations.join()).toMatch(
      /failed \(OrderFailed\) with a net charge: 1 charged, 0 refunded/,
    );
    expect(v?.shrunk.schedule.length).toBeLessThanOrEqual(v?.schedule.length ?? 0);

    const replay = await fuzz({
      definition: broken,
      handlers,
      invariants,
      runs: 1,
      seed: 7,
      replay: { run: v?.run ?? -1, schedule: v?.shrunk.schedule as Fault[] },
    });
    expect(replay.runs).toBe(1);
    expect(replay.violation?.violations.join()).toMatch(/with a net charge/);
  });
});
