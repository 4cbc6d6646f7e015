/**
 * The order saga on Step Functions (Standard), from `stacks/order-saga.asl.json` — the same file
 * the local engine runs — with its `${...FunctionArn}` placeholders filled from the task
 * functions. SST's `sst.aws.StepFunctions` builds definitions in code and cannot take an ASL
 * file, so this is a raw `aws.sfn.StateMachine` with a role of our own that may invoke exactly
 * the saga's functions, logging every event with its data and tracing with X-Ray.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { sagaRolePolicy, stateMachineArn, stepFunctionsTrustPolicy } from "./lib/iam.ts";
import { physicalName, stateMachineLogGroupName, type TaskFunctionName } from "./lib/naming.ts";
import { renderDefinition, STATE_MACHINES } from "./lib/state-machines.ts";

/** Inputs of {@link orderSaga}: function ARNs by task name, and where the ASL files live. */
export interface OrderSagaArgs {
  functionArns: Record<TaskFunctionName, $util.Input<string>>;
  /** Directory holding the `*.asl.json` files; defaults to `<app root>/stacks`. */
  aslDir?: string;
}

/** Creates the saga's log group, role, role policy, state machine and its `OrderSaga` link. */
export function orderSaga({ functionArns, aslDir }: OrderSagaArgs) {
  const spec = STATE_MACHINES.find((m) => m.name === "OrderSaga")!;
  const asl = readFileSync(
    path.join(aslDir ?? path.join($cli.paths.root, "stacks"), spec.file),
    "utf8",
  );
  const arns = $resolve(functionArns);

  const logGroup = new aws.cloudwatch.LogGroup("OrderSagaLogs", {
    name: stateMachineLogGroupName($app.name, $app.stage, spec.name),
    retentionInDays: 30,
  });
  const name = physicalName($app.name, $app.stage, spec.name);
  const expectedArn = $resolve([
    aws.getPartitionOutput().partition,
    aws.getRegionOutput().region,
    aws.getCallerIdentityOutput().accountId,
  ]).apply(([partition, region, accountId]) =>
    stateMachineArn({ partition, region, accountId, name }),
  );
  const role = new aws.iam.Role("OrderSagaRole", {
    assumeRolePolicy: expectedArn.apply((arn) => JSON.stringify(stepFunctionsTrustPolicy(arn))),
  });
  const policy = new aws.iam.RolePolicy("OrderSagaRolePolicy", {
    role: role.id,
    policy: arns.apply((a) => JSON.stringify(sagaRolePolicy(spec.tasks.map((t) => a[t])))),
  });
  const machine = new aws.sfn.StateMachine(
    "OrderSagaStateMachine",
    {
      name,
      type: "STANDARD",
      roleArn: role.arn,
      definition: arns.apply((a) => renderDefinition(asl, spec.tasks, a)),
      loggingConfiguration: {
        // Step Functions requires the `:*` suffix on the log group ARN.
        logDestination: $interpolate`${logGroup.arn}:*`,
        level: "ALL",
        includeExecutionData: true,
      },
      tracingConfiguration: { enabled: true },
    },
    // The role must be able to invoke and log before Step Functions validates the definition.
    { dependsOn: [policy] },
  );
  const link = new sst.Linkable("OrderSaga", { properties: { arn: machine.arn } });
  return { logGroup, role, policy, machine, link };
}
