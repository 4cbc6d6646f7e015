/**
 * What a Map Run's children add up to: their names (derived from the Map Run and the index, so a
 * resumed run finds them again), their counts by status (DescribeMapRun), and the Map Run's result
 * for its state: the children's outputs in order, or the manifest ResultWriter wrote (S3 objects
 * by status: SUCCEEDED, FAILED for failed, timed-out and aborted, PENDING for never ended).
 */
import { createHash } from "node:crypto";
import type { Json, MapRunPlan } from "../../asl/index.ts";
import type { Executor } from "../executor/executor.ts";
import { type ChildResult, transform, writeResults } from "./result-writer.ts";
import type { S3Access } from "./s3-access.ts";
import type { MapRunRow, MapRunStatus, MapRunStore } from "./store.ts";

export interface Counts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
}

/** DescribeMapRun's counts with the redrive members. */
export interface RedriveCounts extends Counts {
  /** Children (items) a redrive of the Map Run has yet to rerun. */
  pendingRedrive: number;
  /** Children (items) that did not succeed and cannot be redriven. */
  failuresNotRedrivable: number;
}

export const zero = (): Counts => ({
  pending: 0,
  running: 0,
  succeeded: 0,
  failed: 0,
  timedOut: 0,
  aborted: 0,
  total: 0,
});

export function isMapRunArn(arn: string): boolean {
  return arn.includes(":mapRun:");
}

/** The name of a Map Run's child `index` (UUID-shaped, stable: a resumed run finds it again). */
export function childName(mapRunArn: string, index: number): string {
  const h = createHash("sha256").update(`${mapRunArn}\n${index}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function statusKey(status: string | undefined): keyof Omit<Counts, "total"> {
  switch (status) {
    case "SUCCEEDED":
      return "succeeded";
    case "FAILED":
      return "failed";
    case "TIMED_OUT":
      return "timedOut";
    case "ABORTED":
      return "aborted";
    case "RUNNING":
      return "running";
    default:
      return "pending";
  }
}

/** A Map Run's result for its state: the children's outputs in order, or what ResultWriter wrote. */
export async function mapRunResult(
  x: Pick<Executor, "execution">,
  store: MapRunStore,
  s3: S3Access,
  row: MapRunRow,
  plan: MapRunPlan,
  status: MapRunStatus,
): Promise<Json | undefined> {
  const writer = plan.writer;
  if (!writer && status !== "SUCCEEDED") return undefined;
  const children: ChildResult[] = [];
  for (let i = 0; i < row.children; i++) {
    const name = childName(row.arn, i);
    const arn = plan.childArnPrefix + name;
    const child = x.execution(arn);
    const input = child?.input ?? store.input(row.id, i) ?? "null";
    children.push(child ? { arn, name, input, row: child } : { arn, name, input });
  }
  if (writer?.resource) {
    const by = {
      SUCCEEDED: [] as ChildResult[],
      FAILED: [] as ChildResult[],
      PENDING: [] as ChildResult[],
    };
    for (const c of children) {
      const s = c.row?.status;
      if (s === "SUCCEEDED") by.SUCCEEDED.push(c);
      else if (s === undefined || s === "RUNNING") by.PENDING.push(c);
      else by.FAILED.push(c);
    }
    return writeResults(s3, plan, writer, by);
  }
  if (status !== "SUCCEEDED") return undefined;
  if (writer?.config) return transform(plan, children, writer.config);
  return children.map((c) => {
    const r = c.row;
    if (r?.status === "SUCCEEDED") return JSON.parse(r.output ?? "null") as Json;
    const failure: Record<string, Json> = {};
    if (r?.error) failure.Error = r.error;
    if (r?.cause) failure.Cause = r.cause;
    return failure;
  });
}
