/**
 * RedriveExecution, and whether an execution can be redriven (DescribeExecution's
 * `redriveStatus` / `redriveStatusReason`), per AWS's "Restarting state machine executions with
 * redrive" (docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html): a STANDARD
 * execution that FAILED, TIMED_OUT or was ABORTED can be redriven within 14 days of its end, if
 * it started less than a year ago and its history holds fewer than 24,999 events. The redrive is
 * an engine event (`redrive`) recorded and replayed like any other: the execution keeps its ARN
 * and history and goes on from where it stopped (`local/asl/redrive.ts`).
 */
import { ExecutionNotRedrivable } from "../errors.ts";
import type { ExecutionExtras, ExecutionRow } from "../store/index.ts";
import type { ApiContext } from "./context.ts";
import { executionRow } from "./executions.ts";

const DAY_MS = 86_400_000;
/** "Your workflow execution has not exceeded the redrivable period of 14 days." */
const REDRIVABLE_PERIOD_MS = 14 * DAY_MS;
/** "The workflow execution has not exceeded the maximum open time of one year." */
const MAX_OPEN_MS = 365 * DAY_MS;
/** Room for ExecutionRedriven and one more event under the 25,000-event quota. */
const MAX_REDRIVABLE_EVENTS = 24_999;

export type RedriveStatus = "REDRIVABLE" | "NOT_REDRIVABLE";

/** Why an execution cannot be redriven now (AWS's documented reasons), or undefined. */
export function notRedrivableReason(c: ApiContext, row: ExecutionRow): string | undefined {
  if (row.status === "RUNNING") return "Execution is RUNNING and cannot be redriven";
  if (row.status === "SUCCEEDED") return "Execution is SUCCEEDED and cannot be redriven";
  // (AWS's RedriveExecution is not supported for EXPRESS state machines; the wording is ours.)
  if (row.machine_type === "EXPRESS") return "Execution is EXPRESS and cannot be redriven";
  if (!c.store.machines.get(row.machine_arn)) return "State machine is in DELETING status";
  const now = c.clock.now();
  if (now - row.start_ms > MAX_OPEN_MS) return "Execution has exceeded the max execution time";
  if (now - (row.stop_ms ?? now) > REDRIVABLE_PERIOD_MS) {
    return "Execution redrivable period exceeded";
  }
  const last = c.store.steps.historyPage(row.id, Number.MAX_SAFE_INTEGER, 1, true)[0];
  if ((last?.id ?? 0) >= MAX_REDRIVABLE_EVENTS) return "Execution history event limit exceeded";
  return undefined;
}

/** DescribeExecution's redrive members. */
export function redriveFields(c: ApiContext, row: ExecutionRow, extras?: ExecutionExtras) {
  const reason = notRedrivableReason(c, row);
  return {
    redriveCount: extras?.redrive_count ?? 0,
    ...(extras?.redrive_ms != null ? { redriveDate: new Date(extras.redrive_ms) } : {}),
    redriveStatus: (reason ? "NOT_REDRIVABLE" : "REDRIVABLE") as RedriveStatus,
    ...(reason ? { redriveStatusReason: reason } : {}),
  };
}

/** Client tokens of recent redrives (the SDK sends one; a retried request redrives once). */
const recent = new WeakMap<ApiContext, Map<string, number>>();
const REMEMBERED_TOKENS = 1000;

export async function redriveExecution(
  c: ApiContext,
  req: { executionArn: string; clientToken?: string },
) {
  c.open();
  const row = executionRow(c, req.executionArn);
  const tokens = recent.get(c) ?? new Map<string, number>();
  recent.set(c, tokens);
  const key = req.clientToken ? `${row.arn} ${req.clientToken}` : undefined;
  const earlier = key ? tokens.get(key) : undefined;
  if (earlier !== undefined) return { redriveDate: new Date(earlier) };
  const reason = notRedrivableReason(c, row);
  if (reason) throw new ExecutionNotRedrivable(`${reason}: '${row.arn}'`);
  const at = c.clock.now();
  // Under the execution's lock: a second redrive racing this one finds it RUNNING.
  if (!(await c.executor.deliver(row.arn, { type: "redrive", at }))) {
    throw new ExecutionNotRedrivable(`Execution is RUNNING and cannot be redriven: '${row.arn}'`);
  }
  if (key) {
    tokens.set(key, at);
    if (tokens.size > REMEMBERED_TOKENS) tokens.delete(tokens.keys().next().value as string);
  }
  return { redriveDate: new Date(at) };
}
