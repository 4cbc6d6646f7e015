/**
 * `import "countersign/testing/vitest"`: registers the testing library's matchers with Vitest's
 * `expect` and declares their types, so `expect(run).toHavePassedThrough("Charge")` type-checks.
 */
import { expect } from "vitest";
import { type CountersignMatchers, matchers } from "./matchers.ts";

expect.extend(matchers);

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: must repeat Vitest's own `Assertion<T = any>`.
  interface Assertion<T = any> extends CountersignMatchers<T> {}
  interface AsymmetricMatchersContaining extends CountersignMatchers {}
}
