/**
 * The local Step Functions runtime: AWS's actions (same member names as `@aws-sdk/client-sfn`,
 * dates as `Date`) over the durable executor. The wire API (`server.ts`) is a thin JSON layer on
 * top; the local platform and tests call these methods directly.
 */
import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DefinitionError } from "../asl/errors.ts";
import type { HistoryEvent, StateMachineType } from "../asl/types.ts";
import { validateDefinition } from "../asl/validate.ts";
import {
  type Account,
  checkExecutionArn,
  checkName,
  executionArn,
  parsePayload,
  parseStateMachineArn,
  requireString,
  stateMachineArn,
} from "./arns.ts";
import { type Clock, realClock } from "./clock.ts";
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidOutput,
  InvalidToken,
  RuntimeClosedError,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StateMachineTypeNotSupported,
  TaskDoesNotExist,
  TaskTimedOut,
  ValidationException,
} from "./errors.ts";
import { Executor, knownResourceFor } from "./executor.ts";
import { randomHex, uuidv7 } from "./ids.ts";
import { DynamoInvoker } from "./invokers/dynamodb.ts";
import { TaskRunner } from "./invokers/index.ts";
import {
  type FunctionConfig,
  type FunctionMap,
  type Handler,
  LambdaFunctions,
} from "./invokers/lambda.ts";
import { HistoryReplayer } from "./replay.ts";
import { type ExecutionRow, openStore, type StateMachineRow, type Store } from "./store.ts";
import { TokenCodec } from "./tokens.ts";

export interface RuntimeOptions {
  /** Where the SQLite log lives (`<dataDir>/sfn.sqlite`); in memory when omitted. */
  dataDir?: string;
  /** Defaults to the real clock; pass a `VirtualClock` in tests. */
  clock?: Clock;
  /** Lambda handlers by function name or ARN. */
  functions?: FunctionMap;
  region?: string;
  accountId?: string;
  /** DynamoDB client for the optimized integrations (default: from `AWS_ENDPOINT_URL_DYNAMODB`). */
  dynamodb?: DynamoDBClient;
  /** Snapshots kept in memory (LRU); everything else is rebuilt from the log on demand. */
  snapshotCacheSize?: number;
  /** Errors of background work that has no caller (default: console.error). */
  onError?: (error: unknown) => void;
}

type Page<T> = T & { nextToken?: string };

const DEFAULT_ROLE = "arn:aws:iam::123456789012:role/countersign-local";

function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
function decodeToken<T>(token: string | undefined, fallback: T): T {
  if (!token) return fallback;
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as T;
  } catch (error) {
    throw new ValidationException("Invalid nextToken: pass the nextToken of the previous page", {
      cause: error,
    });
  }
}
function pageSize(maxResults: number | undefined, max = 1000, byDefault = 100): number {
  if (maxResults === undefined || maxResults === 0) return byDefault;
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > max) {
    throw new ValidationException(`maxResults must be an integer between 0 and ${max}`);
  }
  return maxResults;
}

/** The runtime; create it with `createRuntime`. */
export class SfnRuntime {
  readonly clock: Clock;
  readonly account: Account;
  private readonly store: Store;
  private readonly executor: Executor;
  private readonly lambdas: LambdaFunctions;
  private readonly dynamo: DynamoInvoker;
  private readonly tokens: TokenCodec;
  private readonly replayer: HistoryReplayer;
  private closed = false;

  constructor(o: RuntimeOptions = {}) {
    this.clock = o.clock ?? realClock;
    this.account = { region: o.region ?? "us-east-1", accountId: o.accountId ?? "123456789012" };
    this.store = openStore(o.dataDir);
    const secret = this.store.meta("taskTokenSecret", TokenCodec.newSecret);
    this.tokens = new TokenCodec(Buffer.from(secret, "base64"));
    this.replayer = new HistoryReplayer(secret);
    this.lambdas = new LambdaFunctions(this.account.region, this.account.accountId, o.functions);
    this.dynamo = new DynamoInvoker(this.account.region, o.dynamodb);
    const runner = new TaskRunner(this.lambdas, this.dynamo, {
      // Idempotent by name (a re-invoked task reaches the same child, even a finished one).
      startChild: async (req) => {
        const { row } = await this.start(req, false);
        return { executionArn: row.arn, startDate: new Date(row.start_ms) };
      },
    });
    this.executor = new Executor({
      store: this.store,
      clock: this.clock,
      services: { mintTaskToken: (arn, id) => this.tokens.mint(arn, id) },
      runTask: (task) => runner.run(task),
      snapshotCacheSize: o.snapshotCacheSize,
      replayer: this.replayer,
      onError: o.onError ?? ((error) => console.error("[sfn]", error)),
    });
    const settle = (this.clock as { onSettle?: (f: () => Promise<void>) => () => void }).onSettle;
    this.unsettle = settle?.call(this.clock, () => this.executor.idle());
    this.executor.resume();
  }

  private readonly unsettle: (() => void) | undefined;

  /** Registers (or replaces) a Lambda handler by function name or ARN. */
  registerFunction(nameOrArn: string, handler: Handler | FunctionConfig): void {
    this.lambdas.register(nameOrArn, handler);
  }

  /** Resolves when no step, task or delivery is in flight (tests: after starting executions). */
  idle(): Promise<void> {
    return this.executor.idle();
  }

  /** Resolves with DescribeExecution's answer once the execution has ended. */
  async waitForExecution(executionArn: string) {
    const known = typeof executionArn === "string" && this.executor.execution(executionArn);
    if (!known || known.status === "RUNNING") {
      await this.executor.whenFinished(known ? executionArn : checkExecutionArn(executionArn));
    }
    return this.describeExecution({ executionArn });
  }

  /** Stops timers and waits for in-flight work, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsettle?.();
    await this.executor.close();
    this.dynamo.close();
    this.replayer.close();
    this.store.close();
  }

  // --- state machines ------------------------------------------------------------------------

  createStateMachine(req: {
    name: string;
    definition: string;
    roleArn?: string;
    type?: StateMachineType;
    description?: string;
    publish?: boolean;
    versionDescription?: string;
  }) {
    this.open();
    const name = checkName(req.name, "name");
    const type = req.type ?? "STANDARD";
    if (type !== "STANDARD" && type !== "EXPRESS") {
      throw new ValidationException(`type must be STANDARD or EXPRESS, got '${String(type)}'`);
    }
    const definition = this.checkDefinition(req.definition, type);
    const arn = stateMachineArn(this.account, name);
    const roleArn = req.roleArn ?? DEFAULT_ROLE;
    const existing = this.store.getMachine(arn);
    if (existing) {
      if (
        existing.definition === definition &&
        existing.role_arn === roleArn &&
        existing.type === type
      ) {
        return { stateMachineArn: arn, creationDate: new Date(existing.created_ms) };
      }
      throw new StateMachineAlreadyExists(`State Machine Already Exists: '${arn}'`);
    }
    const now = this.clock.now();
    const row: StateMachineRow = {
      arn,
      name,
      type,
      definition,
      role_arn: roleArn,
      description: req.description ?? null,
      created_ms: now,
      updated_ms: null,
      revision: 1,
      revision_id: randomUUID(),
    };
    let versionArn: string | undefined;
    this.store.tx(() => {
      this.store.insertMachine(row);
      if (req.publish) versionArn = this.publish(row, req.versionDescription);
    });
    return {
      stateMachineArn: arn,
      creationDate: new Date(now),
      ...(versionArn ? { stateMachineVersionArn: versionArn } : {}),
    };
  }

  updateStateMachine(req: {
    stateMachineArn: string;
    definition?: string;
    roleArn?: string;
    publish?: boolean;
    versionDescription?: string;
  }) {
    this.open();
    const row = this.machine(req.stateMachineArn);
    if (req.definition === undefined && req.roleArn === undefined) {
      throw new ValidationException("UpdateStateMachine needs a definition or a roleArn to change");
    }
    const updated: StateMachineRow = {
      ...row,
      definition:
        req.definition === undefined
          ? row.definition
          : this.checkDefinition(req.definition, row.type),
      role_arn: req.roleArn ?? row.role_arn,
      updated_ms: this.clock.now(),
      revision: row.revision + 1,
      revision_id: randomUUID(),
    };
    let versionArn: string | undefined;
    this.store.tx(() => {
      this.store.updateMachine(updated);
      if (req.publish) versionArn = this.publish(updated, req.versionDescription);
    });
    return {
      updateDate: new Date(updated.updated_ms as number),
      revisionId: updated.revision_id,
      ...(versionArn ? { stateMachineVersionArn: versionArn } : {}),
    };
  }

  describeStateMachine(req: { stateMachineArn: string }) {
    this.open();
    const { name, qualifier } = parseStateMachineArn(req.stateMachineArn);
    const row = this.machine(stateMachineArn(this.account, name));
    const version = qualifier ? this.store.getVersion(req.stateMachineArn) : undefined;
    if (qualifier && !version) {
      throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${req.stateMachineArn}'`);
    }
    return {
      stateMachineArn: version?.arn ?? row.arn,
      name: row.name,
      status: "ACTIVE" as const,
      definition: version?.definition ?? row.definition,
      roleArn: version?.role_arn ?? row.role_arn,
      type: row.type,
      creationDate: new Date(version?.created_ms ?? row.created_ms),
      loggingConfiguration: { level: "OFF" as const, includeExecutionData: false },
      tracingConfiguration: { enabled: false },
      revisionId: version?.revision_id ?? row.revision_id,
      ...(row.description ? { description: row.description } : {}),
    };
  }

  listStateMachines(req: { maxResults?: number; nextToken?: string } = {}) {
    this.open();
    const limit = pageSize(req.maxResults);
    const offset = decodeToken(req.nextToken, { o: 0 }).o;
    const all = this.store.listMachines();
    const page = all.slice(offset, offset + limit);
    const out: Page<{ stateMachines: object[] }> = {
      stateMachines: page.map((m) => ({
        stateMachineArn: m.arn,
        name: m.name,
        type: m.type,
        creationDate: new Date(m.created_ms),
      })),
    };
    if (offset + limit < all.length) out.nextToken = encodeToken({ o: offset + limit });
    return out;
  }

  deleteStateMachine(req: { stateMachineArn: string }) {
    this.open();
    const { name } = parseStateMachineArn(req.stateMachineArn);
    // Deleting is idempotent on AWS; running executions keep their own copy of the definition.
    this.store.deleteMachine(stateMachineArn(this.account, name));
    return {};
  }

  validateStateMachineDefinition(req: { definition: string; type?: StateMachineType }) {
    const type = req.type ?? "STANDARD";
    let parsed: unknown;
    try {
      parsed = JSON.parse(requireString(req.definition, "definition"));
    } catch (error) {
      if (error instanceof ValidationException) throw error;
      return {
        result: "FAIL" as const,
        diagnostics: [
          {
            severity: "ERROR" as const,
            code: "INVALID_JSON_DESCRIPTION",
            message: `The definition is not JSON: ${(error as Error).message}`,
          },
        ],
        truncated: false,
      };
    }
    const diagnostics = validateDefinition(parsed, {
      type,
      isKnownResource: knownResourceFor(type),
    });
    if (!diagnostics.some((d) => d.severity === "ERROR")) {
      try {
        this.executor.compile(req.definition, type);
      } catch (error) {
        if (!(error instanceof DefinitionError)) throw error;
        diagnostics.push(...error.diagnostics);
      }
    }
    return {
      result: diagnostics.some((d) => d.severity === "ERROR") ? ("FAIL" as const) : ("OK" as const),
      diagnostics,
      truncated: false,
    };
  }

  // --- executions ----------------------------------------------------------------------------

  async startExecution(req: { stateMachineArn: string; name?: string; input?: string }) {
    this.open();
    const { row, created } = await this.start(req, false);
    if (!created && (row.input !== (req.input ?? "{}") || row.status !== "RUNNING")) {
      throw new ExecutionAlreadyExists(`Execution Already Exists: '${row.arn}'`);
    }
    return { executionArn: row.arn, startDate: new Date(row.start_ms) };
  }

  /** Runs an EXPRESS execution to its end and returns its result. */
  async startSyncExecution(req: { stateMachineArn: string; name?: string; input?: string }) {
    this.open();
    const { row } = await this.start(req, true);
    const done = await this.executor.whenFinished(row.arn);
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
        billedDurationInMilliseconds: Math.max(
          100,
          (done.stop_ms ?? done.start_ms) - done.start_ms,
        ),
      },
    };
  }

  describeExecution(req: { executionArn: string }) {
    this.open();
    const row = this.execution(req.executionArn);
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
      redriveCount: 0,
      redriveStatus: "NOT_REDRIVABLE" as const,
    };
  }

  listExecutions(
    req: {
      stateMachineArn?: string;
      statusFilter?: string;
      maxResults?: number;
      nextToken?: string;
    } = {},
  ) {
    this.open();
    let machineArn: string | undefined;
    if (req.stateMachineArn !== undefined) {
      const { name, qualifier } = parseStateMachineArn(req.stateMachineArn);
      machineArn = req.stateMachineArn;
      if (!qualifier) this.machine(stateMachineArn(this.account, name));
    }
    const statuses = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"];
    if (req.statusFilter !== undefined && !statuses.includes(req.statusFilter)) {
      throw new ValidationException(`statusFilter must be one of ${statuses.join(", ")}`);
    }
    const limit = pageSize(req.maxResults);
    const offset = decodeToken(req.nextToken, { o: 0 }).o;
    const rows = this.store.listExecutions({
      machineArn,
      status: req.statusFilter,
      offset,
      limit: limit + 1,
    });
    const out: Page<{ executions: object[] }> = {
      executions: rows.slice(0, limit).map((r) => ({
        executionArn: r.arn,
        stateMachineArn: r.machine_arn,
        name: r.name,
        status: r.status,
        startDate: new Date(r.start_ms),
        ...(r.stop_ms !== null ? { stopDate: new Date(r.stop_ms) } : {}),
        ...(r.version_arn ? { stateMachineVersionArn: r.version_arn } : {}),
      })),
    };
    if (rows.length > limit) out.nextToken = encodeToken({ o: offset + limit });
    return out;
  }

  getExecutionHistory(req: {
    executionArn: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
    includeExecutionData?: boolean;
  }) {
    this.open();
    const row = this.execution(req.executionArn);
    const limit = pageSize(req.maxResults);
    const reverse = req.reverseOrder === true;
    const from = decodeToken(req.nextToken, { from: reverse ? Number.MAX_SAFE_INTEGER : 0 }).from;
    const events = this.executor.history(row, from, limit + 1, reverse);
    const page = events.slice(0, limit);
    const include = req.includeExecutionData !== false;
    const out: Page<{ events: Array<Omit<HistoryEvent, "timestamp"> & { timestamp: Date }> }> = {
      events: page.map((e) => toApiEvent(e, include)),
    };
    const last = page[page.length - 1];
    if (events.length > limit && last) out.nextToken = encodeToken({ from: last.id });
    return out;
  }

  async stopExecution(req: { executionArn: string; error?: string; cause?: string }) {
    this.open();
    const row = this.execution(req.executionArn);
    if (row.status === "RUNNING") {
      await this.executor.deliver(row.arn, {
        type: "stop",
        ...(req.error !== undefined ? { error: req.error } : {}),
        ...(req.cause !== undefined ? { cause: req.cause } : {}),
        at: this.clock.now(),
      });
    }
    const after = this.execution(req.executionArn);
    return { stopDate: new Date(after.stop_ms ?? this.clock.now()) };
  }

  // --- task tokens ---------------------------------------------------------------------------

  /**
   * The state machine a task token of this runtime was issued by (undefined for any other
   * string). AWS authorises SendTask* against that state machine; a local IAM check needs it.
   */
  taskTokenStateMachine(token: string): string | undefined {
    const target = this.tokens.parse(token);
    if (!target) return undefined;
    const [head, machine] = target.executionArn.split(":execution:");
    return head && machine ? `${head}:stateMachine:${machine.split(":")[0]}` : undefined;
  }

  async sendTaskSuccess(req: { taskToken: string; output: string }) {
    this.open();
    const target = this.openTask(req.taskToken, () =>
      parsePayload(requireString(req.output, "output"), "output", InvalidOutput),
    );
    const output = target.payload.json;
    await this.deliverToTask(target, (at) => ({
      type: "taskSucceeded",
      id: target.taskId,
      output,
      at,
    }));
    return {};
  }

  async sendTaskFailure(req: { taskToken: string; error?: string; cause?: string }) {
    this.open();
    if (req.error !== undefined && req.error.length > 256) {
      throw new ValidationException("error must be at most 256 characters");
    }
    if (req.cause !== undefined && req.cause.length > 32768) {
      throw new ValidationException("cause must be at most 32768 characters");
    }
    const target = this.openTask(req.taskToken, () => undefined);
    await this.deliverToTask(target, (at) => ({
      type: "taskFailed",
      id: target.taskId,
      error: req.error ?? "",
      ...(req.cause !== undefined ? { cause: req.cause } : {}),
      at,
    }));
    return {};
  }

  async sendTaskHeartbeat(req: { taskToken: string }) {
    this.open();
    const target = this.openTask(req.taskToken, () => undefined);
    await this.deliverToTask(
      target,
      (at) => ({ type: "taskHeartbeat", id: target.taskId, at }),
      false,
    );
    return {};
  }

  // --- internals -----------------------------------------------------------------------------

  private open(): void {
    if (this.closed) throw new RuntimeClosedError();
  }

  private machine(arn: string, name = parseStateMachineArn(arn).name): StateMachineRow {
    // The caller's ARN string is usually the machine's own: its hash is cached, a built one's not.
    const row =
      this.store.cachedMachine(arn) ?? this.store.getMachine(stateMachineArn(this.account, name));
    if (!row) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    return row;
  }

  private execution(arn: string): ExecutionRow {
    // A known ARN is a valid one: the format check is only needed to word a miss.
    const row = typeof arn === "string" ? this.executor.execution(arn) : undefined;
    if (row) return row;
    checkExecutionArn(arn);
    throw new ExecutionDoesNotExist(`Execution Does Not Exist: '${arn}'`);
  }

  private checkDefinition(definition: unknown, type: StateMachineType): string {
    const text = requireString(definition, "definition");
    try {
      JSON.parse(text);
    } catch (error) {
      throw new InvalidDefinition(
        `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${(error as Error).message}'`,
        { cause: error },
      );
    }
    try {
      this.executor.compile(text, type);
    } catch (error) {
      if (error instanceof DefinitionError) {
        throw new InvalidDefinition(`Invalid State Machine Definition: '${error.message}'`, {
          cause: error,
        });
      }
      throw error;
    }
    return text;
  }

  private publish(row: StateMachineRow, description?: string): string {
    const version = (this.store.latestVersion(row.arn)?.version ?? 0) + 1;
    const arn = `${row.arn}:${version}`;
    this.store.insertVersion({
      arn,
      machine_arn: row.arn,
      version,
      definition: row.definition,
      role_arn: row.role_arn,
      description: description ?? null,
      created_ms: this.clock.now(),
      revision_id: row.revision_id,
    });
    return arn;
  }

  /** (Not `async`: returning the executor's promise as is saves the extra resolution ticks.) */
  private start(
    req: { stateMachineArn: string; name?: string; input?: string },
    sync: boolean,
  ): ReturnType<Executor["startExecution"]> {
    const { name: machineName, qualifier } = parseStateMachineArn(req.stateMachineArn);
    const machine = this.machine(req.stateMachineArn, machineName);
    const version = qualifier ? this.store.getVersion(req.stateMachineArn) : undefined;
    if (qualifier && !version) {
      throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${req.stateMachineArn}'`);
    }
    if (sync && machine.type !== "EXPRESS") {
      throw new StateMachineTypeNotSupported(
        "This operation is not supported by this type of state machine: StartSyncExecution needs an EXPRESS state machine",
      );
    }
    const generated = req.name === undefined || req.name === null;
    const name = generated ? uuidv7() : checkName(req.name, "name");
    const input = parsePayload(req.input, "input", InvalidExecutionInput);
    const express = machine.type === "EXPRESS" ? uuidv7() : undefined;
    const arn = executionArn(this.account, machineName, name, express);
    return this.executor.startExecution({
      params: {
        executionArn: arn,
        stateMachineArn: machine.arn,
        name,
        input: input.json,
        startTime: this.clock.now(),
        seed: randomHex(16),
        roleArn: version?.role_arn ?? machine.role_arn,
      },
      definition: version?.definition ?? machine.definition,
      type: machine.type,
      roleArn: version?.role_arn ?? machine.role_arn,
      inputText: input.text,
      ...(version ? { versionArn: version.arn } : {}),
      // A generated name (or an EXPRESS ARN's random part) cannot name an existing execution.
      fresh: generated || express !== undefined,
    });
  }

  /** Checks a token for SendTask*: InvalidToken, then the payload, then TaskDoesNotExist / TaskTimedOut. */
  private openTask<P>(token: unknown, payload: () => P) {
    const target = this.tokens.parse(token);
    if (!target)
      throw new InvalidToken("Invalid Token: the task token is malformed or not from this runtime");
    const parsed = payload();
    const task = this.store.getTask(target.executionArn, target.taskId);
    if (!task || task.token !== token) throw new TaskDoesNotExist("Task Does Not Exist");
    if (task.status === "done" || task.status === "cancelled")
      throw new TaskTimedOut("Task Timed Out");
    return { ...target, payload: parsed };
  }

  private async deliverToTask(
    target: { executionArn: string; taskId: string },
    event: (at: number) => Parameters<Executor["deliver"]>[1],
    finishes = true,
  ): Promise<void> {
    const { executionArn: arn, taskId: id } = target;
    const ok = await this.executor.deliver(
      arn,
      event(this.clock.now()),
      () => {
        const t = this.store.getTask(arn, id);
        return t !== undefined && (t.status === "running" || t.status === "waiting");
      },
      () => {
        if (finishes) this.store.setTaskStatus(arn, id, "done");
      },
    );
    if (!ok) throw new TaskTimedOut("Task Timed Out");
  }
}

/** A stored history event as the API returns it (Date timestamp, data optional). */
function toApiEvent(e: HistoryEvent, includeData: boolean) {
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
  return out as Omit<HistoryEvent, "timestamp"> & { timestamp: Date };
}

/** Creates a runtime; every RUNNING execution in `dataDir` resumes right away. */
export function createRuntime(options: RuntimeOptions = {}): SfnRuntime {
  return new SfnRuntime(options);
}
