/** Errors of the testing library: a misuse named with the option or state and the fix. */

/** A test environment asked for something it cannot do (bad option, unknown state, ...). */
export class TestEnvironmentError extends Error {
  override name = "TestEnvironmentError";
}
