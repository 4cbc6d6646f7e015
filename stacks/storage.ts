/**
 * The single DynamoDB table, and the `Table` link handlers read it through. The link is our own
 * `sst.Linkable` rather than the Dynamo component itself so that linking grants item-level
 * actions on the table and its indexes instead of SST's default `dynamodb:*`.
 */
import { TABLE_ACTIONS, tableStatement } from "./lib/iam.ts";
import { tableArgs } from "./lib/table.ts";

/** Creates the table (PITR, TTL on `ttl`, on-demand) and its least-privilege link. */
export function storage() {
  const args = tableArgs();
  const table = new sst.aws.Dynamo("Data", {
    fields: args.fields,
    primaryIndex: args.primaryIndex,
    globalIndexes: args.globalIndexes,
    ttl: args.ttl,
    transform: {
      table: (args) => {
        // SST sets both today; stating them keeps them if its defaults change.
        args.billingMode = "PAY_PER_REQUEST";
        args.pointInTimeRecovery = { enabled: true };
      },
    },
  });
  const link = new sst.Linkable("Table", {
    properties: { name: table.name },
    include: [
      sst.aws.permission({
        actions: [...TABLE_ACTIONS],
        resources: table.arn.apply((arn) => tableStatement(arn).Resource),
      }),
    ],
  });
  return { table, link };
}
