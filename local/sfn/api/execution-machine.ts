/**
 * DescribeStateMachineForExecution: the state machine as the execution ran it — the definition
 * and role the execution started with (kept on its row), even after UpdateStateMachine.
 * See https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeStateMachineForExecution.html
 */
import { parseStateMachineArn, stateMachineArn } from "../arns.ts";
import type { ApiContext } from "./context.ts";
import { executionRow } from "./executions.ts";

export function describeStateMachineForExecution(c: ApiContext, req: { executionArn: string }) {
  c.open();
  const row = executionRow(c, req.executionArn);
  const { name } = parseStateMachineArn(row.machine_arn);
  const machineArn = stateMachineArn(c.account, name);
  const machine = c.store.machines.get(machineArn);
  const version = row.version_arn ? c.store.versions.get(row.version_arn) : undefined;
  return {
    stateMachineArn: machineArn,
    name,
    definition: row.definition,
    roleArn: row.role_arn,
    // When the definition the execution ran was last set (the version's creation for a version).
    updateDate: new Date(
      version?.created_ms ?? machine?.updated_ms ?? machine?.created_ms ?? row.start_ms,
    ),
    loggingConfiguration: { level: "OFF" as const, includeExecutionData: false },
    tracingConfiguration: { enabled: false },
    ...(version ? { revisionId: version.revision_id } : {}),
  };
}
