/**
 * The single table's shape: `pk`/`sk` strings, one GSI `gsi1` over
 * `gsi1pk`/`gsi1sk` projecting everything, TTL on `ttl`, on-demand billing, point-in-time recovery.
 * Expressed as `sst.aws.Dynamo` arguments; `storage.ts` passes them through unchanged.
 */

/** Arguments for `sst.aws.Dynamo` (the subset the app uses, plain data). */
export interface TableArgs {
  fields: Record<string, "string">;
  primaryIndex: { hashKey: string; rangeKey: string };
  globalIndexes: Record<string, { hashKey: string; rangeKey: string; projection: "all" }>;
  ttl: string;
}

/** The table's arguments, identical for every stage. */
export function tableArgs(): TableArgs {
  return {
    fields: { pk: "string", sk: "string", gsi1pk: "string", gsi1sk: "string" },
    primaryIndex: { hashKey: "pk", rangeKey: "sk" },
    globalIndexes: { gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk", projection: "all" } },
    ttl: "ttl",
  };
}
