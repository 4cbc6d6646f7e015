/**
 * The topology's state machines on Step Functions (Standard) — the order saga and the expense
 * approval — each from its ASL file, the same file the local engine runs, with each task's
 * `${<Task>FunctionArn}` placeholder filled from the task functions. SST's `sst.aws.StepFunctions` builds definitions in code and cannot take an ASL
 * file, so this is a raw `aws.sfn.StateMachine` with a role of our own that may invoke exactly
 * the saga's functions.
 *
 * Logging: every event (level ALL) without execution data. The log says which state ran, when
 * and how it ended; inputs, outputs and task parameters — where the customer's name, address and
 * email travel, and the approval task's token — never reach CloudWatch. Passing the token outside
 * the logged parameters would still log the customer: only "execution data off" keeps both out.
 * The execution history (access-controlled, encrypted with the key when one is configured) keeps
 * the data operators need.
 */
import { LOG_RETENTION_DAYS } from "./lib/function-defaults.ts";
import { sagaRolePolicy, stateMachineArn, stepFunctionsTrustPolicy } from "./lib/iam.ts";
import { physicalName, stateMachineLogGroupName } from "./lib/naming.ts";
import { definitionSource, renderDefinition } from "./lib/state-machines.ts";
import { type FunctionName, STATE_MACHINES, type StateMachineName } from "./topology.ts";

const specOf = (name: StateMachineName) => STATE_MACHINES.find((m) => m.name === name)!;

/**
 * A state machine's physical name and the ARN it will have, known before it exists (roles,
 * policies and the approvals' permissions need it first).
 */
export function sagaIdentity(machine: StateMachineName = "OrderSaga") {
  const name = physicalName($app.name, $app.stage, machine);
  const arn = $resolve([
    aws.getPartitionOutput().partition,
    aws.getRegionOutput().region,
    aws.getCallerIdentityOutput().accountId,
  ]).apply(([partition, region, accountId]) =>
    stateMachineArn({ partition, region, accountId, name }),
  );
  return { name, arn };
}

/** Inputs of {@link orderSaga}. */
export interface OrderSagaArgs {
  /** Which state machine of the topology (default: the order saga). */
  machine?: StateMachineName;
  identity: ReturnType<typeof sagaIdentity>;
  functionArns: Partial<Record<FunctionName, $util.Input<string>>>;
  /** The customer-managed key for its data and its log group, when encryption with one is on. */
  keyArn?: $util.Input<string>;
  /** Where the ASL files are, relative to which the topology's paths resolve (default: the app root). */
  root?: string;
}

/**
 * Creates the saga's log group, role, role policy and state machine. Its `OrderSaga` link is made
 * from the predicted ARN (sst.config.ts), so the functions linked to it need not wait for it.
 */
export function orderSaga(args: OrderSagaArgs) {
  const SPEC = specOf(args.machine ?? "OrderSaga");
  const source = definitionSource(SPEC, args.root ?? $cli.paths.root);
  const arns = $resolve(
    Object.fromEntries(SPEC.tasks.map((t) => [t, args.functionArns[t] ?? missing(t)])),
  ) as $util.Output<Record<string, string>>;
  const key = args.keyArn ? $output(args.keyArn) : undefined;

  const logGroup = new aws.cloudwatch.LogGroup(`${SPEC.name}Logs`, {
    name: stateMachineLogGroupName($app.name, $app.stage, SPEC.name),
    retentionInDays: LOG_RETENTION_DAYS,
    kmsKeyId: key,
  });
  const role = new aws.iam.Role(`${SPEC.name}Role`, {
    assumeRolePolicy: args.identity.arn.apply((arn) =>
      JSON.stringify(stepFunctionsTrustPolicy(arn)),
    ),
  });
  const policy = new aws.iam.RolePolicy(`${SPEC.name}RolePolicy`, {
    role: role.id,
    policy: $resolve([arns, args.identity.arn, key ?? ""]).apply(([a, machine, keyArn]) => {
      const taskArns = a as Record<string, string>;
      return JSON.stringify(
        sagaRolePolicy(
          SPEC.tasks.map((t) => taskArns[t]!),
          keyArn ? { keyArn: keyArn as string, stateMachineArn: machine as string } : undefined,
        ),
      );
    }),
  });
  const machine = new aws.sfn.StateMachine(
    `${SPEC.name}StateMachine`,
    {
      name: args.identity.name,
      type: "STANDARD",
      roleArn: role.arn,
      definition: arns.apply((a) => renderDefinition(source, SPEC, (t) => a[t]!)),
      loggingConfiguration: {
        // Step Functions requires the `:*` suffix on the log group ARN.
        logDestination: $interpolate`${logGroup.arn}:*`,
        level: "ALL",
        includeExecutionData: false,
      },
      tracingConfiguration: { enabled: true },
      encryptionConfiguration: key
        ? { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: key, kmsDataKeyReusePeriodSeconds: 300 }
        : undefined,
    },
    // The role must be able to invoke and log before Step Functions validates the definition.
    { dependsOn: [policy] },
  );
  return { logGroup, role, policy, machine };
}

function missing(task: string): never {
  throw new Error(`the saga's task ${task} has no function: create it in stacks/functions.ts`);
}
