/**
 * Why TestState refused a request, with the exception name AWS answers with
 * (`ValidationException`, `InvalidDefinition`) and its message, word for word where the recorded
 * corpus has it. The runtime turns it into the API error of that name.
 */

export type TestStateErrorCode = "ValidationException" | "InvalidDefinition";

/** A TestState request AWS would reject; nothing was run. */
export class TestStateRejected extends Error {
  override name = "TestStateRejected";
  constructor(
    readonly code: TestStateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A ValidationException. */
export function invalid(message: string): TestStateRejected {
  return new TestStateRejected("ValidationException", message);
}
