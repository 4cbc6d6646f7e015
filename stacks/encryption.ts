/**
 * Opt-in encryption with a customer-managed KMS key (`COUNTERSIGN_KMS=1`): one key for the table,
 * the state machine's data (`encryptionConfiguration`) and every log group, rotated yearly, with
 * the key policy in lib/key-policy.ts. Off by default: AWS-owned keys already encrypt everything
 * at rest, and a customer-managed key costs $1 a month plus requests.
 */
import { keyPolicy } from "./lib/key-policy.ts";

/** Creates the key and its alias `alias/<app>-<stage>`. */
export function encryptionKey() {
  const prefix = `${$app.name}-${$app.stage}`;
  const policy = $resolve([
    aws.getPartitionOutput().partition,
    aws.getRegionOutput().region,
    aws.getCallerIdentityOutput().accountId,
  ]).apply(([partition, region, accountId]) =>
    JSON.stringify(keyPolicy({ partition, region, accountId, prefix })),
  );
  const key = new aws.kms.Key("DataKey", {
    description: `Countersign ${$app.stage}: table, saga data and logs`,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy,
  });
  new aws.kms.Alias("DataKeyAlias", { name: `alias/${prefix}`, targetKeyId: key.keyId });
  return key;
}
