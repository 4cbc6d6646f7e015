/**
 * IAM policy documents for the stacks, as plain data so tests can read them: each grants the
 * narrowest action and resource AWS supports. `"*"` appears only for actions AWS documents as
 * having no resource-level permissions (listed in {@link ACTIONS_WITHOUT_RESOURCE_LEVEL}).
 */
import { InvalidArnError } from "./errors.ts";

/** One IAM statement (the subset of the grammar the stacks use). */
export interface Statement {
  Sid?: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
  /** `{ Operator: { key: value | values } }`, e.g. `{ StringEquals: { "kms:ViaService": "..." } }`. */
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

/**
 * Actions whose Service Authorization Reference entry lists no resource type, so a policy must use
 * `"*"`: CloudWatch Logs delivery for Step Functions logging
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy) and
 * X-Ray trace submission (https://docs.aws.amazon.com/step-functions/latest/dg/xray-iam.html).
 */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL: readonly string[] = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
];

const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

/** A role's trust policy (who may assume it); it has principals instead of resources. */
export interface TrustPolicyDocument {
  Version: "2012-10-17";
  Statement: {
    Effect: "Allow";
    Principal: { Service: string };
    Action: string[];
    Condition: Record<string, Record<string, string>>;
  }[];
}

/**
 * Trust policy letting Step Functions assume the saga's role on behalf of that one state machine
 * only (the confused-deputy guard AWS recommends:
 * https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html).
 */
export function stepFunctionsTrustPolicy(stateMachineArn: string): TrustPolicyDocument {
  const account = stateMachineArn.split(":")[4];
  if (!stateMachineArn.includes(":stateMachine:") || !account) {
    throw new InvalidArnError(
      `"${stateMachineArn}" is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)`,
    );
  }
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "states.amazonaws.com" },
        Action: ["sts:AssumeRole"],
        Condition: {
          ArnLike: { "aws:SourceArn": stateMachineArn },
          StringEquals: { "aws:SourceAccount": account },
        },
      },
    ],
  };
}

/** The ARN a state machine will have, known before it exists (its role must trust it first). */
export function stateMachineArn(args: {
  partition: string;
  region: string;
  accountId: string;
  name: string;
}): string {
  return `arn:${args.partition}:states:${args.region}:${args.accountId}:stateMachine:${args.name}`;
}

/**
 * The saga role's permissions: invoke exactly the given functions (and their versions/aliases,
 * `<arn>:*`, which Step Functions uses when a definition names a qualified ARN), deliver logs,
 * send traces, and — with a customer-managed key — use the key for this state machine's data
 * only (`kms:EncryptionContext:aws:states:stateMachineArn`). Nothing else: the role cannot read
 * the table or send mail itself.
 */
export function sagaRolePolicy(
  functionArns: readonly string[],
  key?: { keyArn: string; stateMachineArn: string },
): PolicyDocument {
  const arns = [...new Set(functionArns)].sort();
  const statements: Statement[] = [
    {
      Sid: "InvokeSagaTasks",
      Effect: "Allow",
      Action: ["lambda:InvokeFunction"],
      Resource: arns.flatMap((arn) => [arn, `${arn}:*`]),
    },
    {
      Sid: "DeliverExecutionLogs",
      Effect: "Allow",
      Action: ACTIONS_WITHOUT_RESOURCE_LEVEL.filter((a) => a.startsWith("logs:")),
      Resource: ["*"],
    },
    {
      Sid: "SendTraces",
      Effect: "Allow",
      Action: ACTIONS_WITHOUT_RESOURCE_LEVEL.filter((a) => a.startsWith("xray:")),
      Resource: ["*"],
    },
  ];
  if (key) {
    statements.push({
      Sid: "UseSagaKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [key.keyArn],
      Condition: {
        StringEquals: { "kms:EncryptionContext:aws:states:stateMachineArn": key.stateMachineArn },
      },
    });
  }
  return doc(...statements);
}

/** Execution ARNs of a state machine: `...:stateMachine:<name>` → `...:execution:<name>:*`. */
export function executionArnPattern(stateMachineArn: string): string {
  return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:*`;
}

/**
 * Every grant in a document that is wider than it needs to be: a wildcard action (`*`,
 * `service:*`), or `Resource: "*"` for an action that supports resource-level permissions.
 */
export function needlessWildcards(policy: PolicyDocument): string[] {
  return policy.Statement.flatMap((s) =>
    s.Action.filter(
      (a) =>
        a === "*" ||
        a.endsWith(":*") ||
        (s.Resource.includes("*") && !ACTIONS_WITHOUT_RESOURCE_LEVEL.includes(a)),
    ).map((a) => `${s.Sid ?? "statement"}: ${a} on ${s.Resource.join(", ")}`),
  );
}
