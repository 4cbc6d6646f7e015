/**
 * What the executions routes answer, typed: the dashboard reads these types through `hc<ApiApp>`.
 * Step Functions' own shapes, with the members its API reference marks required made required (the
 * SDK types every output member as possibly undefined), dates as ISO strings, the execution's
 * input and output parsed, and every task token redacted — history events carry the approval
 * task's parameters, and the token must never leave the server.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import type {
  DescribeExecutionOutput,
  ExecutionListItem,
  ExecutionStatus,
  HistoryEvent,
  HistoryEventType,
} from "@aws-sdk/client-sfn";

/** One row of `GET /api/executions`. */
export interface ExecutionSummary {
  executionArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  stateMachineArn: string;
}

/** `execution` of `GET /api/executions/:arn`. */
export interface ExecutionDescription extends ExecutionSummary {
  /** Parsed JSON (the raw string when it is not JSON). */
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  redriveCount?: number;
  redriveDate?: string;
  redriveStatus?: string;
  /** Why it cannot be redriven, when `redriveStatus` is NOT_REDRIVABLE. */
  redriveStatusReason?: string;
}

/** One event of `GET /api/executions/:arn/history`: AWS's shape, dates as ISO strings. */
export type HistoryEventView = Omit<HistoryEvent, "id" | "type" | "timestamp"> & {
  id: number;
  type: HistoryEventType;
  timestamp: string;
};

/** Step Functions answered without a member its API reference says is always there. */
export class IncompleteAnswerError extends Error {
  override name = "IncompleteAnswerError";
}

function required<T>(value: T | undefined, member: string): T {
  if (value === undefined || value === null)
    throw new IncompleteAnswerError(`Step Functions answered without ${member}`);
  return value;
}

const REDACTED = "[redacted]";

/**
 * Replaces task tokens anywhere in a value, including inside JSON-encoded strings; drops the SDK's
 * `$metadata`; dates become ISO strings. Typed as the identity: JSON would turn each date into the
 * same string, and a redacted token is still a string.
 */
export function redact<T>(value: T): T {
  return redactAny(value) as T;
}

function redactAny(value: unknown): unknown {
  if (typeof value === "string") {
    const t = value.trimStart();
    if ((t.startsWith("{") || t.startsWith("[")) && /task_?token/i.test(value)) {
      try {
        return JSON.stringify(redactAny(JSON.parse(value)));
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(redactAny);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "$metadata")
        .map(([k, v]) => [k, /^task_?token$/i.test(k) ? REDACTED : redactAny(v)]),
    );
  }
  return value;
}

/** Parsed JSON, or the text itself when it is not JSON. */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A ListExecutions item as the dashboard lists it. */
export function toExecutionSummary(
  e: ExecutionListItem | DescribeExecutionOutput,
): ExecutionSummary {
  const executionArn = required(e.executionArn, "executionArn");
  return {
    executionArn,
    name: e.name ?? executionArn.split(":").at(-1)!,
    status: required(e.status, "status"),
    startDate: required(e.startDate, "startDate").toISOString(),
    ...(e.stopDate ? { stopDate: e.stopDate.toISOString() } : {}),
    stateMachineArn: required(e.stateMachineArn, "stateMachineArn"),
  };
}

/** DescribeExecution as the execution page shows it, tokens redacted. */
export function toExecutionDescription(e: DescribeExecutionOutput): ExecutionDescription {
  return redact({
    ...toExecutionSummary(e),
    ...(e.input !== undefined ? { input: parseJson(e.input) } : {}),
    ...(e.output !== undefined ? { output: parseJson(e.output) } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
    ...(e.redriveCount !== undefined ? { redriveCount: e.redriveCount } : {}),
    ...(e.redriveDate ? { redriveDate: e.redriveDate.toISOString() } : {}),
    ...(e.redriveStatus !== undefined ? { redriveStatus: e.redriveStatus } : {}),
    ...(e.redriveStatusReason ? { redriveStatusReason: e.redriveStatusReason } : {}),
  });
}

/** A history event with its required members checked and its tokens redacted. */
export function toHistoryEventView(e: HistoryEvent): HistoryEventView {
  const { id, type, timestamp, ...details } = e;
  return redact({
    ...details,
    id: required(id, "id"),
    type: required(type, "type"),
    timestamp: required(timestamp, "timestamp").toISOString(),
  });
}
