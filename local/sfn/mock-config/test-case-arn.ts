/**
 * `StartExecution` with `stateMachineArn` = `<arn>#<testCaseName>` runs that test case of the
 * mock config, as Step Functions Local does (AWS, "Step 3: Run Mocked Service Integration
 * Tests"). The execution's own ARN has no suffix.
 */
import type { ApiContext } from "../api/context.ts";
import { ValidationException } from "../errors.ts";

/** The state machine ARN without its `#testCase`, and the checked test case name (if any). */
export function splitTestCase(
  c: ApiContext,
  arn: string,
): { stateMachineArn: string; testCase?: string } {
  const at = typeof arn === "string" ? arn.indexOf("#") : -1;
  if (at < 0) return { stateMachineArn: arn };
  const stateMachineArn = arn.slice(0, at);
  const name = arn.slice(at + 1);
  if (!c.mocks) {
    throw new ValidationException(
      `stateMachineArn '${arn}' names test case '${name}', but this runtime has no mock config: start it with --mock-config FILE (or createRuntime({ mockConfig }))`,
    );
  }
  return { stateMachineArn, testCase: c.mocks.checkTestCase(stateMachineArn, name) };
}
