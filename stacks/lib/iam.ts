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
 * and send traces. Nothing else: the role cannot read the table or send mail itself.
 */
export function sagaRolePolicy(functionArns: readonly string[]): PolicyDocument {
  const arns = [...new Set(functionArns)].sort();
  return doc(
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
  );
}

/** Execution ARNs of a state machine: `...:stateMachine:<name>` → `...:execution:<name>:*`. */
export function executionArnPattern(stateMachineArn: string): string {
  return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:*`;
}

/**
 * Answering the saga's callback tasks (the API on a decision; the reminder sweep on expiry and
 * re-delivery). SendTask* are authorised against the state machine that issued the token (AWS's
 * AccessDenied names `...:stateMachine:<name>`), so they are scoped to it rather than `"*"`.
 */
export function answerTasksStatement(stateMachineArn: string): Statement {
  return {
    Sid: "AnswerApprovalTasks",
    Effect: "Allow",
    Action: ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"],
    Resource: [stateMachineArn],
  };
}

/** What the approval API does with the saga: answer its tasks and read executions for the dashboard. */
export function apiSagaStatements(stateMachineArn: string): Statement[] {
  return [
    answerTasksStatement(stateMachineArn),
    {
      Sid: "ReadSaga",
      Effect: "Allow",
      Action: ["states:ListExecutions", "states:DescribeStateMachine"],
      Resource: [stateMachineArn],
    },
    {
      Sid: "ReadSagaExecutions",
      Effect: "Allow",
      Action: ["states:DescribeExecution", "states:GetExecutionHistory"],
      Resource: [executionArnPattern(stateMachineArn)],
    },
  ];
}

/**
 * Data-plane access to the single table and its indexes: item reads and writes, queries,
 * transactions (stock reservations) and batch calls. No scans, no table management.
 */
export const TABLE_ACTIONS: readonly string[] = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:Query",
  "dynamodb:ConditionCheckItem",
  "dynamodb:TransactGetItems",
  "dynamodb:TransactWriteItems",
];

/** The table and its indexes (`<arn>/index/*`, narrower than SST's default `<arn>/*`). */
export function tableStatement(tableArn: string): Statement {
  return {
    Sid: "UseTable",
    Effect: "Allow",
    Action: [...TABLE_ACTIONS],
    Resource: [tableArn, `${tableArn}/index/*`],
  };
}

/** Sending mail, the only SES actions handlers use. */
export const EMAIL_ACTIONS: readonly string[] = ["ses:SendEmail", "ses:SendRawEmail"];

/**
 * Sending mail. SES authorises SendEmail against the sender identity and the configuration set,
 * and — while the account is in the SES sandbox — against each recipient's verified identity too,
 * so identities are allowed by the account's `identity/*` pattern in the sender's region (derived
 * from the sender's identity ARN), not `"*"`
 * (https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html).
 */
export function emailStatement(args: {
  identityArn: string;
  configurationSetArn: string;
}): Statement {
  const slash = args.identityArn.indexOf(":identity/");
  if (slash < 0) {
    throw new InvalidArnError(
      `identityArn "${args.identityArn}" is not an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<name>)`,
    );
  }
  return {
    Sid: "SendMail",
    Effect: "Allow",
    Action: [...EMAIL_ACTIONS],
    Resource: [`${args.identityArn.slice(0, slash)}:identity/*`, args.configurationSetArn],
  };
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
