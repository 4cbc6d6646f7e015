/** Errors of the mock configuration: the file, or a test case it does not have. */

/** A mock configuration that cannot be used: names the place in the file and the fix. */
export class MockConfigError extends Error {
  override name = "MockConfigError";
}
