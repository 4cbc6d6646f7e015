/**
 * The execution actions: StartExecution, StartSyncExecution (EXPRESS), DescribeExecution,
 * ListExecutions, StopExecution. Execution names, inputs and ARNs are checked as AWS checks them.
 */
import type { ExecutionStatus } from "../../asl/types.ts";
import { checkExecutionArn, checkName, executionArn, parsePayload } from "../arns.ts";
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidExecutionInput,
  StateMachineTypeNotSupported,
  ValidationException,
} from "../errors.ts";
import type { Executor } from "../executor/executor.ts";
import { randomHex, uuidv7 } from "../ids.ts";
import { splitTestCase } from "../mock-config/test-case-arn.ts";
import type { ExecutionRow } from "../store/index.ts";
import type { ApiContext } from "./context.ts";
import { listedExecution, listedExtras, listRows } from "./execution-list.ts";
import { listMapRunExecutions } from "./map-runs.ts";
import { decodeToken, encodeToken, type Page, pageSize } from "./paging.ts";
import { redriveFields } from "./redrive.ts";
import { listTarget, startTarget } from "./targets.ts";

type StartRequest = { stateMachineArn: string; name?: string; input?: string };

const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"];

export async function startExecution(c: ApiContext, req: StartRequest) {
  c.open();
  const { row, created } = await start(c, req, false);
  if (!created && (row.input !== (req.input ?? "{}") || row.status !== "RUNNING")) {
    throw new ExecutionAlreadyExists(`Execution Already Exists: '${row.arn}'`);
  }
  return { executionArn: row.arn, startDate: new Date(row.start_ms) };
}

/** Runs an EXPRESS execution to its end and returns its result. */
export async function startSyncExecution(c: ApiContext, req: StartRequest) {
  c.open();
  const { row } = await start(c, req, true);
  const done = await c.executor.whenFinished(row.arn);
  return {
    executionArn: done.arn,
    stateMachineArn: done.machine_arn,
    name: done.name,
    startDate: new Date(done.start_ms),
    stopDate: new Date(done.stop_ms ?? done.start_ms),
    status: done.status as "SUCCEEDED" | "FAILED" | "TIMED_OUT",
    input: done.input,
    inputDetails: { included: true },
    ...(done.output !== null ? { output: done.output, outputDetails: { included: true } } : {}),
    ...(done.error !== null ? { error: done.error } : {}),
    ...(done.cause !== null ? { cause: done.cause } : {}),
    billingDetails: {
      billedMemoryUsedInMB: 64,
      billedDurationInMilliseconds: Math.max(100, (done.stop_ms ?? done.start_ms) - done.start_ms),
    },
  };
}

export function describeExecution(c: ApiContext, req: { executionArn: string }) {
  c.open();
  const row = executionRow(c, req.executionArn);
  const extras = c.store.extras.get(row.id);
  return {
    executionArn: row.arn,
    stateMachineArn: row.machine_arn,
    name: row.name,
    status: row.status,
    startDate: new Date(row.start_ms),
    input: row.input,
    inputDetails: { included: true },
    ...(row.stop_ms !== null ? { stopDate: new Date(row.stop_ms) } : {}),
    ...(row.output !== null ? { output: row.output, outputDetails: { included: true } } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    ...(row.cause !== null ? { cause: row.cause } : {}),
    ...(row.version_arn ? { stateMachineVersionArn: row.version_arn } : {}),
    ...(extras?.alias_arn ? { stateMachineAliasArn: extras.alias_arn } : {}),
    ...redriveFields(c, row, extras),
  };
}

export function listExecutions(
  c: ApiContext,
  req: {
    stateMachineArn?: string;
    mapRunArn?: string;
    statusFilter?: string;
    redriveFilter?: string;
    maxResults?: number;
    nextToken?: string;
  },
) {
  c.open();
  if (req.mapRunArn !== undefined) {
    if (req.statusFilter !== undefined && !STATUSES.includes(req.statusFilter)) {
      throw new ValidationException(`statusFilter must be one of ${STATUSES.join(", ")}`);
    }
    return listMapRunExecutions(c, { ...req, mapRunArn: req.mapRunArn } as Parameters<
      typeof listMapRunExecutions
    >[1]);
  }
  // A machine, version or alias ARN (`targets.ts`).
  const target = req.stateMachineArn === undefined ? undefined : listTarget(c, req.stateMachineArn);
  if (req.statusFilter !== undefined && !STATUSES.includes(req.statusFilter)) {
    throw new ValidationException(`statusFilter must be one of ${STATUSES.join(", ")}`);
  }
  const limit = pageSize(req.maxResults);
  const offset = decodeToken(req.nextToken, { o: 0 }).o;
  const { rows, next } = listRows(
    c,
    { machineArn: target?.machineArn, status: req.statusFilter as ExecutionStatus | undefined },
    offset,
    limit,
    { aliasArn: target?.aliasArn, redriveFilter: req.redriveFilter },
  );
  const out: Page<{ executions: object[] }> = {
    executions: rows.map((r) => ({
      ...listedExecution(r),
      ...(r.version_arn ? { stateMachineVersionArn: r.version_arn } : {}),
      ...listedExtras(c.store.extras.get(r.id)),
    })),
  };
  if (next !== undefined) out.nextToken = encodeToken({ o: next });
  return out;
}

export async function stopExecution(
  c: ApiContext,
  req: { executionArn: string; error?: string; cause?: string },
) {
  c.open();
  const row = executionRow(c, req.executionArn);
  if (row.status === "RUNNING") {
    await c.executor.deliver(row.arn, {
      type: "stop",
      ...(req.error !== undefined ? { error: req.error } : {}),
      ...(req.cause !== undefined ? { cause: req.cause } : {}),
      at: c.clock.now(),
    });
  }
  const after = executionRow(c, req.executionArn);
  return { stopDate: new Date(after.stop_ms ?? c.clock.now()) };
}

/** The execution named by `arn`; InvalidArn or ExecutionDoesNotExist. */
export function executionRow(c: ApiContext, arn: string): ExecutionRow {
  // A known ARN is a valid one: the format check is only needed to word a miss.
  const row = typeof arn === "string" ? c.executor.execution(arn) : undefined;
  if (row) return row;
  checkExecutionArn(arn);
  throw new ExecutionDoesNotExist(`Execution Does Not Exist: '${arn}'`);
}

/**
 * Starts (or finds, by name) an execution; `sync` for StartSyncExecution. Not `async`: returning
 * the executor's promise as is saves the extra resolution ticks.
 */
export function start(
  c: ApiContext,
  req: StartRequest,
  sync: boolean,
): ReturnType<Executor["startExecution"]> {
  // `<arn>#<testCase>`: Step Functions Local's way to run a mock config test case (mock-config/).
  const { stateMachineArn, testCase } = splitTestCase(c, req.stateMachineArn);
  // The machine, or a version of it, or an alias routing to a version (`targets.ts`).
  const { machine, version, aliasArn } = startTarget(c, stateMachineArn);
  const machineName = machine.name;
  if (sync && machine.type !== "EXPRESS") {
    throw new StateMachineTypeNotSupported(
      "This operation is not supported by this type of state machine: StartSyncExecution needs an EXPRESS state machine",
    );
  }
  const generated = req.name === undefined || req.name === null;
  const name = generated ? uuidv7() : checkName(req.name, "name");
  const input = parsePayload(req.input, "input", InvalidExecutionInput);
  const express = machine.type === "EXPRESS" ? uuidv7() : undefined;
  const arn = executionArn(c.account, machineName, name, express);
  const roleArn = version?.role_arn ?? machine.role_arn;
  return c.executor.startExecution({
    params: {
      executionArn: arn,
      stateMachineArn: machine.arn,
      name,
      input: input.json,
      startTime: c.clock.now(),
      seed: randomHex(16),
      roleArn,
    },
    definition: version?.definition ?? machine.definition,
    type: machine.type,
    roleArn,
    inputText: input.text,
    ...(version ? { versionArn: version.arn } : {}),
    ...(aliasArn ? { aliasArn } : {}),
    // A generated name (or an EXPRESS ARN's random part) cannot name an existing execution.
    fresh: generated || express !== undefined,
    ...(testCase ? { mockTestCase: testCase } : {}),
  });
}
