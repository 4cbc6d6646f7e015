/**
 * A Map Run's results as AWS's ResultWriter writes them: under `<Prefix>/<map run id>/`, one
 * `SUCCEEDED_n.json`, `FAILED_n.json` and `PENDING_n.json` per status that has children (each an
 * array of the children's DescribeExecution-like records, or JSON Lines with `OutputType: JSONL`),
 * then `manifest.json` listing them; the state's output is then the manifest's location. A
 * WriterConfig `Transformation` of COMPACT keeps only each child's output (or error), FLATTEN
 * also joins array outputs into one array. Per "ResultWriter (Map)"
 * (docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html).
 */
import type { Json, JsonObject, MapRunPlan } from "../../asl/index.ts";
import type { ExecutionRow } from "../store/index.ts";
import type { S3Access } from "./s3-access.ts";

export class ResultWriterError extends Error {
  override name = "ResultWriterError";
  readonly error = "States.ResultWriterFailed";
}

/** One child as the result files show it: its execution row, or its input when never started. */
export interface ChildResult {
  arn: string;
  name: string;
  input: string;
  row?: ExecutionRow;
}

type Writer = NonNullable<MapRunPlan["writer"]>;

function iso(ms: number | null | undefined): string | undefined {
  return ms === null || ms === undefined ? undefined : new Date(ms).toISOString();
}

/** AWS's record of a child in a NONE (or legacy) result file. */
function fullRecord(plan: MapRunPlan, c: ChildResult): JsonObject {
  const r = c.row;
  const status = r?.status ?? "PENDING";
  const out: JsonObject = {
    ExecutionArn: c.arn,
    Input: c.input,
    InputDetails: { Included: true },
    Name: c.name,
  };
  if (r?.status === "SUCCEEDED") {
    out.Output = r.output ?? "null";
    out.OutputDetails = { Included: true };
  }
  if (r && r.status !== "SUCCEEDED" && r.status !== "RUNNING") {
    if (r.error !== null) out.Error = r.error;
    if (r.cause !== null) out.Cause = r.cause;
  }
  out.RedriveCount = 0;
  out.RedriveStatus = "NOT_REDRIVABLE";
  out.RedriveStatusReason = `Execution is ${status} and cannot be redriven`;
  const start = iso(r?.start_ms);
  if (start) out.StartDate = start;
  out.StateMachineArn = plan.childMachineArn;
  out.Status = status;
  const stop = iso(r?.stop_ms);
  if (stop) out.StopDate = stop;
  return out;
}

function compactRecord(c: ChildResult): Json {
  const r = c.row;
  if (r?.status === "SUCCEEDED") return JSON.parse(r.output ?? "null") as Json;
  const out: JsonObject = {};
  if (r?.error) out.Error = r.error;
  if (r?.cause) out.Cause = r.cause;
  return out;
}

/** The records of the children of one status, as the writer's transformation shapes them. */
export function transform(plan: MapRunPlan, children: ChildResult[], config?: JsonObject): Json[] {
  const t = config?.Transformation ?? "NONE";
  if (t === "NONE") return children.map((c) => fullRecord(plan, c));
  const compact = children.map(compactRecord);
  if (t === "COMPACT") return compact;
  if (t === "FLATTEN") return compact.flatMap((v) => (Array.isArray(v) ? v : [v]));
  throw new ResultWriterError(
    `WriterConfig.Transformation must be NONE, COMPACT or FLATTEN, got ${JSON.stringify(t)}`,
  );
}

/** Writes the result files and the manifest; returns the state's output. */
export async function writeResults(
  s3: S3Access,
  plan: MapRunPlan,
  writer: Writer,
  byStatus: { SUCCEEDED: ChildResult[]; FAILED: ChildResult[]; PENDING: ChildResult[] },
): Promise<Json> {
  const bucket = writer.parameters.Bucket;
  if (typeof bucket !== "string" || bucket === "") {
    throw new ResultWriterError("ResultWriter needs Parameters.Bucket (a bucket name)");
  }
  const prefix = typeof writer.parameters.Prefix === "string" ? writer.parameters.Prefix : "";
  const runId = plan.mapRunArn.slice(plan.mapRunArn.lastIndexOf(":") + 1);
  const base = `${prefix ? `${prefix.replace(/\/+$/, "")}/` : ""}${runId}/`;
  const jsonl = writer.config?.OutputType === "JSONL";
  const ResultFiles: Record<string, Json[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  const put = async (key: string, body: string) => {
    try {
      await s3.putObject(bucket, key, body);
    } catch (e) {
      const err = e as { name?: string; message?: string };
      throw new ResultWriterError(
        `Amazon S3 could not write s3://${bucket}/${key}: ${err.message ?? String(e)} (Error Code: ${err.name ?? "Unknown"})`,
      );
    }
  };
  for (const status of ["SUCCEEDED", "FAILED", "PENDING"] as const) {
    const children = byStatus[status];
    if (children.length === 0) continue;
    const records = transform(plan, children, writer.config);
    const key = `${base}${status}_0.json`;
    const body = jsonl ? records.map((r) => JSON.stringify(r)).join("\n") : JSON.stringify(records);
    await put(key, body);
    (ResultFiles[status] as Json[]).push({ Key: key, Size: Buffer.byteLength(body) });
  }
  const manifestKey = `${base}manifest.json`;
  await put(
    manifestKey,
    JSON.stringify({ DestinationBucket: bucket, MapRunArn: plan.mapRunArn, ResultFiles }),
  );
  return { MapRunArn: plan.mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: manifestKey } };
}
