/**
 * The key policy of the opt-in customer-managed KMS key (COUNTERSIGN_KMS=1). The account may
 * grant use of the key through IAM (the functions' and the saga role's policies carry the
 * statements, scoped by `kms:ViaService` or the state machine's encryption context); CloudWatch
 * Logs may encrypt this app's log groups; Step Functions' log delivery may decrypt what it
 * delivers (https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 */

/** A key policy statement (principals instead of the identity policies' implicit caller). */
export interface KeyPolicyStatement {
  Sid: string;
  Effect: "Allow";
  Principal: { AWS: string } | { Service: string };
  Action: string | string[];
  Resource: "*";
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** The key's policy for one stage: `prefix` is `<app>-<stage>`, which names every log group. */
export function keyPolicy(args: {
  partition: string;
  region: string;
  accountId: string;
  prefix: string;
}): { Version: "2012-10-17"; Statement: KeyPolicyStatement[] } {
  const { partition, region, accountId, prefix } = args;
  const logGroup = (name: string) =>
    `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        // Without it no IAM policy could grant the key (and nobody could manage it).
        Sid: "AccountAdministersAndGrantsThroughIam",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CloudWatchLogsEncryptsThisAppsLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: [
          "kms:Encrypt*",
          "kms:Decrypt*",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:Describe*",
        ],
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": [
              logGroup(`/aws/lambda/${prefix}-*`),
              logGroup(`/aws/vendedlogs/states/${prefix}-*`),
            ],
          },
        },
      },
      {
        Sid: "StepFunctionsLogDelivery",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}
