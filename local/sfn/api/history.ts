/**
 * GetExecutionHistory: the stored AWS history events of an execution, paged by event id in either
 * order, with the execution data left out on request (`includeExecutionData: false`). Express
 * executions have none on AWS (their history goes to CloudWatch Logs): asked for one, AWS answers
 * `InvalidArn` "Resource type not valid in this context: express", and so does this.
 */
import type { HistoryEvent } from "../../asl/types.ts";
import { InvalidArn } from "../errors.ts";
import type { ApiContext } from "./context.ts";
import { executionRow } from "./executions.ts";
import { decodeToken, encodeToken, type Page, pageSize } from "./paging.ts";

const EXPRESS_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:express:/;

export type ApiHistoryEvent = Omit<HistoryEvent, "timestamp"> & { timestamp: Date };

export function getExecutionHistory(
  c: ApiContext,
  req: {
    executionArn: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
    includeExecutionData?: boolean;
  },
) {
  c.open();
  if (typeof req.executionArn === "string" && EXPRESS_ARN.test(req.executionArn)) {
    throw new InvalidArn("Invalid Arn: 'Resource type not valid in this context: express'");
  }
  const row = executionRow(c, req.executionArn);
  const limit = pageSize(req.maxResults);
  const reverse = req.reverseOrder === true;
  const from = decodeToken(req.nextToken, { from: reverse ? Number.MAX_SAFE_INTEGER : 0 }).from;
  const events = c.executor.history(row, from, limit + 1, reverse);
  const page = events.slice(0, limit);
  const include = req.includeExecutionData !== false;
  const out: Page<{ events: ApiHistoryEvent[] }> = {
    events: page.map((e) => toApiEvent(e, include)),
  };
  const last = page[page.length - 1];
  if (events.length > limit && last) out.nextToken = encodeToken({ from: last.id });
  return out;
}

/** A stored history event as the API returns it (Date timestamp, data optional). */
function toApiEvent(e: HistoryEvent, includeData: boolean): ApiHistoryEvent {
  const out: Record<string, unknown> = { ...e, timestamp: new Date(e.timestamp) };
  if (!includeData) {
    for (const [key, value] of Object.entries(out)) {
      if (key.endsWith("EventDetails") && value && typeof value === "object") {
        const details = { ...(value as Record<string, unknown>) };
        for (const field of ["input", "output", "parameters"]) {
          if (field in details) {
            delete details[field];
            details[`${field}Details`] = { truncated: false };
          }
        }
        out[key] = details;
      }
    }
  }
  return out as ApiHistoryEvent;
}
