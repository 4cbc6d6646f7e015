/**
 * Express executions' log stream. On AWS an Express execution keeps no history in Step Functions:
 * its events go to the state machine's CloudWatch Logs log group, one JSON record each
 * (docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html: `id`, `type`, `details`,
 * `previous_event_id`, `event_timestamp` in epoch milliseconds, `execution_arn`, all strings but
 * `details`). Locally, an ended Express execution's events are appended to
 * `<dataDir>/logs/<stateMachine>.jsonl` in that shape (a Distributed Map's Express children to
 * their parent machine's file), which `countersign logs tail <stateMachine>` prints and follows.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { HistoryEvent } from "../asl/types.ts";
import type { ExecutionRow } from "./store/index.ts";

/** The log file of a state machine (by name, or an ARN: a Map Run child's `<machine>/<label>`). */
export function expressLogFile(dataDir: string, machine: string): string {
  const name = (machine.split(":").pop() ?? machine).split("/")[0] as string;
  return join(dataDir, "logs", `${name}.jsonl`);
}

/** One history event as the CloudWatch Logs record AWS writes for it. */
export function logRecord(arn: string, e: HistoryEvent): Record<string, unknown> {
  const { id, previousEventId, timestamp, type, ...rest } = e;
  const details = Object.values(rest).find((v) => v !== null && typeof v === "object") ?? {};
  return {
    id: String(id),
    type,
    details,
    previous_event_id: String(previousEventId),
    event_timestamp: String(timestamp),
    execution_arn: arn,
  };
}

/** An `onEnd` hook that appends each ended EXPRESS execution's events to its machine's log. */
export function expressLogs(
  dataDir: string,
  history: (row: ExecutionRow) => HistoryEvent[],
  onError: (error: unknown) => void,
): (row: ExecutionRow) => void {
  return (row) => {
    if (row.machine_type !== "EXPRESS") return;
    try {
      const file = expressLogFile(dataDir, row.machine_arn);
      mkdirSync(join(dataDir, "logs"), { recursive: true });
      const lines = history(row).map((e) => JSON.stringify(logRecord(row.arn, e)));
      if (lines.length > 0) appendFileSync(file, `${lines.join("\n")}\n`);
    } catch (error) {
      onError(error);
    }
  };
}
