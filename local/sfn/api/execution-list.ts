/**
 * ListExecutions' filters that the execution rows do not hold: the alias an execution was started
 * through and whether it was redriven (`redriveFilter`) live in the store's execution extras, so
 * those lists scan the machine's executions (newest first) and keep the matching ones. The page
 * token then counts scanned rows, so paging stays stable.
 */

import { ValidationException } from "../errors.ts";
import type { ExecutionExtras, ExecutionFilter, ExecutionRow } from "../store/index.ts";
import type { ApiContext } from "./context.ts";

const SCAN_BATCH = 500;
export const REDRIVE_FILTERS = ["REDRIVEN", "NOT_REDRIVEN"];

/** An execution as ListExecutions lists it, from its row alone. */
export function listedExecution(r: ExecutionRow) {
  return {
    executionArn: r.arn,
    stateMachineArn: r.machine_arn,
    name: r.name,
    status: r.status,
    startDate: new Date(r.start_ms),
    ...(r.stop_ms !== null ? { stopDate: new Date(r.stop_ms) } : {}),
  };
}

/** What a listed execution shows beyond its row: its alias, its redrives. */
export function listedExtras(extras: ExecutionExtras | undefined) {
  return {
    ...(extras?.alias_arn ? { stateMachineAliasArn: extras.alias_arn } : {}),
    redriveCount: extras?.redrive_count ?? 0,
    ...(extras?.redrive_ms != null ? { redriveDate: new Date(extras.redrive_ms) } : {}),
  };
}

/**
 * Up to `limit` executions from `offset` that match the filter, the alias and the redrive filter;
 * `next` is where the following page starts, when there is one.
 */
export function listRows(
  c: ApiContext,
  filter: Omit<ExecutionFilter, "offset" | "limit">,
  offset: number,
  limit: number,
  only: { aliasArn?: string; redriveFilter?: string },
): { rows: ExecutionRow[]; next?: number } {
  const { aliasArn, redriveFilter } = only;
  if (redriveFilter !== undefined && !REDRIVE_FILTERS.includes(redriveFilter)) {
    throw new ValidationException(`redriveFilter must be one of ${REDRIVE_FILTERS.join(", ")}`);
  }
  if (!aliasArn && !redriveFilter) {
    const rows = c.store.executions.list({ ...filter, offset, limit: limit + 1 });
    return rows.length > limit ? { rows: rows.slice(0, limit), next: offset + limit } : { rows };
  }
  const keep = (row: ExecutionRow) => {
    const extras = c.store.extras.get(row.id);
    if (aliasArn && extras?.alias_arn !== aliasArn) return false;
    if (redriveFilter === "REDRIVEN") return (extras?.redrive_count ?? 0) > 0;
    if (redriveFilter === "NOT_REDRIVEN") return (extras?.redrive_count ?? 0) === 0;
    return true;
  };
  const rows: ExecutionRow[] = [];
  for (let at = offset; ; at += SCAN_BATCH) {
    const batch = c.store.executions.list({ ...filter, offset: at, limit: SCAN_BATCH });
    for (let i = 0; i < batch.length; i++) {
      const row = batch[i] as ExecutionRow;
      if (!keep(row)) continue;
      if (rows.length === limit) return { rows, next: at + i };
      rows.push(row);
    }
    if (batch.length < SCAN_BATCH) return { rows };
  }
}
