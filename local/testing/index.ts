/**
 * `countersign/testing`: test Step Functions workflows offline with the runtime Countersign runs —
 * a virtual clock, in-process handlers, mocked task states, per-execution time travel, and
 * `expect(run).toHavePassedThrough("ChargePayment")`. See README.md in this folder.
 */
export { TestEnvironmentError } from "./errors.ts";
export { type CountersignMatchers, matchers } from "./matchers.ts";
export {
  createTestEnvironment,
  type MockedAnswers,
  type StartOptions,
  TestEnvironment,
  type TestEnvironmentOptions,
  type TestHandler,
} from "./test-environment.ts";
export { type RunEvent, TestRun, type WithinOptions } from "./test-run.ts";
