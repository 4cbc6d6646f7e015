/**
 * The single DynamoDB table, and the `Table` link handlers read its name through. The link is our
 * own `sst.Linkable` with no permissions: what each function may do with the table is its policy
 * in the topology (stacks/topology.ts), not SST's default `dynamodb:*` on link.
 */
import { tableArgs } from "./lib/table.ts";

/** Creates the table (PITR, TTL on `ttl`, on-demand; encrypted with `keyArn` when given) and its link. */
export function storage(args: { keyArn?: $util.Input<string> } = {}) {
  const shape = tableArgs();
  const table = new sst.aws.Dynamo("Data", {
    fields: shape.fields,
    primaryIndex: shape.primaryIndex,
    globalIndexes: shape.globalIndexes,
    ttl: shape.ttl,
    transform: {
      table: (t) => {
        // SST sets both today; stating them keeps them if its defaults change.
        t.billingMode = "PAY_PER_REQUEST";
        t.pointInTimeRecovery = { enabled: true };
        if (args.keyArn) t.serverSideEncryption = { enabled: true, kmsKeyArn: args.keyArn };
      },
    },
  });
  const link = new sst.Linkable("Table", { properties: { name: table.name } });
  return { table, link };
}
