import { afterEach, describe, expect, it, vi } from "vitest";
import type { TestModule } from "vitest/node";
import SummaryReporter from "./summary-reporter.ts";

type State = "passed" | "failed" | "skipped";

/** The two members of a Vitest TestModule the reporter reads. */
function fakeModule(moduleState: State, tests: State[]): TestModule {
  const allTests = () => tests.map((state) => ({ result: () => ({ state }) }));
  return { state: () => moduleState, children: { allTests } } as unknown as TestModule;
}

function summary(modules: TestModule[], unhandled: unknown[] = []): string {
  const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  new SummaryReporter().onTestRunEnd(modules, unhandled);
  return String(write.mock.calls.at(-1)?.[0]).trim();
}

describe("summary line", () => {
  afterEach(() => vi.restoreAllMocks());

  it("counts passed, failed and skipped tests", () => {
    const line = summary([
      fakeModule("passed", ["passed", "passed", "skipped"]),
      fakeModule("failed", ["passed", "failed"]),
    ]);
    expect(line).toBe("3 passed, 1 failed, 1 skipped");
  });

  it("counts a file whose beforeAll threw as a failure, not only as skipped tests", () => {
    expect(summary([fakeModule("failed", ["skipped", "skipped"])])).toBe(
      "0 passed, 1 failed, 2 skipped",
    );
  });

  it("counts a file that failed to load and unhandled errors", () => {
    expect(summary([fakeModule("failed", [])], [new Error("boom")])).toBe(
      "0 passed, 2 failed, 0 skipped",
    );
  });
});
