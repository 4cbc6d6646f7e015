/** The dashboard says "already decided" with the time in the reader's zone, as the pages do. */
import { describe, expect, it } from "vitest";
import { problemMessage } from "./errors.ts";

describe("problemMessage", () => {
  it("words an already-decided answer itself, with a whole local time", () => {
    const message = problemMessage({
      status: 409,
      detail: "Already approved by a@example.com at Dec 2, 2026, 3:49 PM UTC.",
      decision: "approved",
      decidedBy: "a@example.com",
      decidedAt: "2026-12-02T15:49:42.714Z",
    });
    expect(message).toMatch(/^Already approved by a@example\.com at .*2026.*\.$/);
    expect(message).not.toContain("T15:49");
  });

  it("uses the server's detail otherwise", () => {
    expect(problemMessage({ status: 410, detail: "This request expired at …" })).toBe(
      "This request expired at …",
    );
  });
});
