import { describe, expect, it } from "vitest";
import { measureApiBundle } from "./api-bundle.ts";

describe("measureApiBundle", () => {
  it("builds a self-contained API bundle that imports in a bare process with only its links", async () => {
    // The bundle is written outside the project, so any import esbuild left out would fail here.
    const { bytes, coldImportMs } = await measureApiBundle({ quick: true });
    expect(bytes).toBeGreaterThan(10_000);
    expect(coldImportMs).toBeGreaterThan(0);
  });
});
