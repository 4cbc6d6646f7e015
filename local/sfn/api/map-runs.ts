/**
 * The Map Run actions: ListMapRuns, DescribeMapRun, UpdateMapRun, and the children of a Map Run
 * for ListExecutions' `mapRunArn`. Shapes and errors as in the Step Functions API reference
 * (docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html,
 * API_ListMapRuns.html, API_UpdateMapRun.html): an unknown Map Run is `ResourceNotFound`, a
 * malformed ARN `InvalidArn`, a value out of range `ValidationException` worded as AWS's
 * request validation words it ("1 validation error detected: …").
 */
import type { MapRunPlan } from "../../asl/index.ts";
import type { ExecutionStatus } from "../../asl/types.ts";
import { InvalidArn, ResourceNotFound, ValidationException } from "../errors.ts";
import type { MapRunRow } from "../map-runs/store.ts";
import type { ApiContext } from "./context.ts";
import { listedExecution, listedExtras, REDRIVE_FILTERS } from "./execution-list.ts";
import { executionRow } from "./executions.ts";
import { decodeToken, encodeToken, type Page, pageSize } from "./paging.ts";

const MAP_RUN_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:mapRun:[^:/]+\/[^:]+:[^:]+$/;

/** The Map Run named by `arn`; InvalidArn or ResourceNotFound. */
function mapRunRow(c: ApiContext, arn: unknown): MapRunRow {
  if (typeof arn !== "string" || arn.length === 0) {
    throw new ValidationException(
      "1 validation error detected: Value null at 'mapRunArn' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!MAP_RUN_ARN.test(arn))
    throw new InvalidArn(`Invalid Arn: '${arn}' is not a Map Run ARN (mapRunArn)`);
  const row = c.executor.mapRuns.store.get(arn);
  if (!row) throw new ResourceNotFound(`Map Run does not exist: '${arn}'`);
  return row;
}

export function listMapRuns(
  c: ApiContext,
  req: { executionArn: string; maxResults?: number; nextToken?: string },
) {
  c.open();
  const exec = executionRow(c, req.executionArn);
  const limit = pageSize(req.maxResults);
  const offset = decodeToken(req.nextToken, { o: 0 }).o;
  // Newest first, as ListExecutions.
  const rows = c.executor.mapRuns.store.ofExecution(exec.arn).reverse();
  const out: Page<{ mapRuns: object[] }> = {
    mapRuns: rows.slice(offset, offset + limit).map((r) => ({
      executionArn: r.exec_arn,
      mapRunArn: r.arn,
      stateMachineArn: (JSON.parse(r.plan) as MapRunPlan).childMachineArn,
      startDate: new Date(r.start_ms),
      ...(r.stop_ms !== null ? { stopDate: new Date(r.stop_ms) } : {}),
    })),
  };
  if (rows.length > offset + limit) out.nextToken = encodeToken({ o: offset + limit });
  return out;
}

export function describeMapRun(c: ApiContext, req: { mapRunArn: string }) {
  c.open();
  const row = mapRunRow(c, req.mapRunArn);
  const { executions, items } = c.executor.mapRuns.counts(row);
  // Results are written once, at the end (ResultWriter), and again after each redrive.
  const written = (n: typeof items) =>
    row.status === "RUNNING" ? 0 : n.succeeded + n.failed + n.timedOut + n.aborted;
  return {
    mapRunArn: row.arn,
    executionArn: row.exec_arn,
    status: row.status,
    startDate: new Date(row.start_ms),
    ...(row.stop_ms !== null ? { stopDate: new Date(row.stop_ms) } : {}),
    maxConcurrency: row.max_concurrency,
    toleratedFailurePercentage: Math.max(0, row.tolerated_pct),
    toleratedFailureCount: Math.max(0, row.tolerated_count),
    itemCounts: { ...items, resultsWritten: written(items) },
    executionCounts: { ...executions, resultsWritten: written(executions) },
    redriveCount: row.redrive_count,
    ...(row.redrive_ms !== null ? { redriveDate: new Date(row.redrive_ms) } : {}),
  };
}

function constraint(field: string, value: unknown, rule: string): never {
  throw new ValidationException(
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${rule}`,
  );
}

export async function updateMapRun(
  c: ApiContext,
  req: {
    mapRunArn: string;
    maxConcurrency?: number;
    toleratedFailureCount?: number;
    toleratedFailurePercentage?: number;
  },
) {
  c.open();
  const { maxConcurrency: mc, toleratedFailureCount: tc, toleratedFailurePercentage: tp } = req;
  if (mc !== undefined && (!Number.isInteger(mc) || mc < 0)) {
    constraint("maxConcurrency", mc, "Member must have value greater than or equal to 0");
  }
  if (tc !== undefined && (!Number.isInteger(tc) || tc < 0)) {
    constraint("toleratedFailureCount", tc, "Member must have value greater than or equal to 0");
  }
  if (tp !== undefined && (typeof tp !== "number" || tp < 0 || tp > 100)) {
    constraint(
      "toleratedFailurePercentage",
      tp,
      tp > 100
        ? "Member must have value less than or equal to 100"
        : "Member must have value greater than or equal to 0",
    );
  }
  const row = mapRunRow(c, req.mapRunArn);
  if (mc === undefined && tc === undefined && tp === undefined) {
    // Not recorded on AWS; a request that changes nothing is refused rather than ignored.
    throw new ValidationException(
      "UpdateMapRun needs at least one of maxConcurrency, toleratedFailureCount or toleratedFailurePercentage",
    );
  }
  if (row.status !== "RUNNING") {
    throw new ValidationException(
      `Map Run ${row.arn} is not running (${row.status}): only a running Map Run can be updated`,
    );
  }
  await c.executor.mapRuns.update(row, {
    ...(mc !== undefined ? { maxConcurrency: mc } : {}),
    ...(tc !== undefined ? { toleratedFailureCount: tc } : {}),
    ...(tp !== undefined ? { toleratedFailurePercentage: tp } : {}),
  });
  return {};
}

/**
 * ListExecutions with `mapRunArn`: the Map Run's child executions that have started, newest
 * first, each with `mapRunArn`, `itemCount` and its redrives as AWS lists them. A child that a
 * running redrive of the Map Run has yet to rerun is `PENDING_REDRIVE`; `redriveFilter` keeps the
 * children that were (not) redriven.
 */
export function listMapRunExecutions(
  c: ApiContext,
  req: {
    mapRunArn: string;
    stateMachineArn?: string;
    statusFilter?: ExecutionStatus | "PENDING_REDRIVE";
    redriveFilter?: string;
    maxResults?: number;
    nextToken?: string;
  },
) {
  if (req.stateMachineArn !== undefined) {
    throw new ValidationException("Only one of stateMachineArn or mapRunArn can be provided");
  }
  if (req.redriveFilter !== undefined && !REDRIVE_FILTERS.includes(req.redriveFilter)) {
    throw new ValidationException(`redriveFilter must be one of ${REDRIVE_FILTERS.join(", ")}`);
  }
  const row = mapRunRow(c, req.mapRunArn);
  const limit = pageSize(req.maxResults);
  const offset = decodeToken(req.nextToken, { o: 0 }).o;
  const items = c.executor.mapRuns.itemsPerChild(row);
  const pending = c.executor.mapRuns.pendingRedrive(row);
  const children = c.executor.mapRuns
    .childExecutions(row)
    .map(({ row: r, index }) => ({
      r,
      index,
      status: pending.has(index) ? "PENDING_REDRIVE" : r.status,
      extras: listedExtras(c.store.extras.get(r.id)),
    }))
    .filter((x) => req.statusFilter === undefined || x.status === req.statusFilter)
    .filter(
      (x) =>
        req.redriveFilter === undefined ||
        (req.redriveFilter === "REDRIVEN") === x.extras.redriveCount > 0,
    )
    .sort((a, b) => b.r.start_ms - a.r.start_ms || b.index - a.index);
  const out: Page<{ executions: object[] }> = {
    executions: children.slice(offset, offset + limit).map(({ r, index, status, extras }) => ({
      ...listedExecution(r),
      status,
      ...extras,
      mapRunArn: row.arn,
      itemCount: items[index] ?? 1,
    })),
  };
  if (children.length > offset + limit) out.nextToken = encodeToken({ o: offset + limit });
  return out;
}
