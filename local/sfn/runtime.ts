/**
 * The local Step Functions runtime: AWS's actions (same member names as `@aws-sdk/client-sfn`,
 * dates as `Date`) over the executor and a store. The actions live in `api/`, one file per group;
 * this class wires them to one store, one executor and the task invokers. The wire API
 * (`server.ts`) is a thin JSON layer on top; the local platform and tests call these methods.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import type { StateMachineType } from "../asl/types.ts";
import { activityStoreFor } from "./activities/activity-store.ts";
import { ActivityTasks } from "./activities/activity-tasks.ts";
import * as activities from "./api/activities.ts";
import * as aliases from "./api/aliases.ts";
import type { ApiContext } from "./api/context.ts";
import { openCheck } from "./api/context.ts";
import { describeStateMachineForExecution } from "./api/execution-machine.ts";
import * as executions from "./api/executions.ts";
import { getExecutionHistory } from "./api/history.ts";
import { MAX_HISTORY_EVENTS } from "./api/limits.ts";
import * as mapRuns from "./api/map-runs.ts";
import * as redrive from "./api/redrive.ts";
import * as machines from "./api/state-machines.ts";
import * as tags from "./api/tags.ts";
import * as tasks from "./api/task-tokens.ts";
import { testState } from "./api/test-state.ts";
import * as versions from "./api/versions.ts";
import type { Account } from "./arns.ts";
import { checkExecutionArn } from "./arns.ts";
import { type Clock, realClock } from "./clock.ts";
import { Executor } from "./executor/executor.ts";
import type { TaskCommand } from "./executor/live.ts";
import { expressLogs } from "./express-logs.ts";
import { AwsSdkInvoker } from "./invokers/aws-sdk.ts";
import { DynamoInvoker } from "./invokers/dynamodb.ts";
import { type TaskOutcome, TaskRunner, type TaskToRun } from "./invokers/index.ts";
import {
  type FunctionConfig,
  type FunctionMap,
  type Handler,
  LambdaFunctions,
} from "./invokers/lambda.ts";
import { s3Access } from "./map-runs/s3-access.ts";
import { compileMocked } from "./mock-config/compile-mocked.ts";
import { asMockConfig, type MockConfig } from "./mock-config/mock-config.ts";
import { MockedTasks } from "./mock-config/mocked-tasks.ts";
import { openStore, type Store, type StoreKind } from "./store/index.ts";
import { type AdvanceExecutionRequest, advanceExecutionAction } from "./time-travel.ts";
import { TokenCodec } from "./tokens.ts";

export interface RuntimeOptions {
  /** Where the SQLite log lives (`<dataDir>/sfn.sqlite`); in memory when omitted. */
  dataDir?: string;
  /**
   * `sqlite` (default): SQLite, in `dataDir` or in memory; `memory`: plain JavaScript maps, nothing
   * on disk (tests, one-off runs). Both keep the same contract.
   */
  store?: StoreKind;
  /** Defaults to the real clock; pass a `VirtualClock` in tests. */
  clock?: Clock;
  /** Lambda handlers by function name or ARN. */
  functions?: FunctionMap;
  region?: string;
  accountId?: string;
  /** DynamoDB client for the optimized integrations (default: from `AWS_ENDPOINT_URL_DYNAMODB`). */
  dynamodb?: DynamoDBClient;
  /**
   * AWS SDK v3 clients for `aws-sdk:<service>` tasks and Distributed Map's S3, by service name
   * (`s3`, `dynamodb`, ...); by default each is made from the environment (`AWS_ENDPOINT_URL_<SERVICE>`).
   */
  clients?: { s3?: S3Client } & Record<string, unknown>;
  /**
   * Backups of a `dataDir` store kept in `<dataDir>/backups`, one taken at each start that passed
   * the store's checks (default 3; 0: none).
   */
  backups?: number;
  /**
   * The command line that starts this runtime, completed with `--repair` / `--restore-backup` in
   * the error a damaged store gives (default: `countersign sfn serve --data-dir <dir>`).
   */
  startCommand?: string;
  /** Snapshots kept in memory (LRU); everything else is rebuilt from the log on demand. */
  snapshotCacheSize?: number;
  /** Errors of background work that has no caller (default: console.error). */
  onError?: (error: unknown) => void;
  /**
   * AWS Step Functions Local's `MockConfigFile.json` (parsed, or its JSON text): an execution
   * started as `<stateMachineArn>#<testCase>` gets that test case's mocked responses
   * (`mock-config/`).
   */
  mockConfig?: MockConfig | object | string;
  /**
   * Wraps every task invocation (`next` runs it as usual): fault injection (`countersign asl
   * fuzz`, local/fuzz/) fails, repeats or delays a task here, where Retry and Catch see it as
   * they would see the service's own failure.
   */
  interceptTask?: TaskInterceptor;
  /**
   * Numbers in [0, 1) that route starts through an alias with two versions by weight (default
   * `Math.random`); tests pass a seeded generator to make the routing deterministic.
   */
  random?: () => number;
}

/** See `RuntimeOptions.interceptTask`. */
export type TaskInterceptor = (
  task: TaskToRun,
  command: TaskCommand,
  next: () => Promise<TaskOutcome>,
) => Promise<TaskOutcome>;

/** The runtime; create it with `createRuntime`. */
export class SfnRuntime {
  readonly clock: Clock;
  readonly account: Account;
  private readonly store: Store;
  private readonly executor: Executor;
  private readonly lambdas: LambdaFunctions;
  private readonly dynamo: DynamoInvoker;
  private readonly awsSdk: AwsSdkInvoker;
  private readonly api: ApiContext;
  private readonly unsettle: (() => void) | undefined;
  private closed = false;

  constructor(o: RuntimeOptions = {}) {
    this.clock = o.clock ?? realClock;
    this.account = { region: o.region ?? "us-east-1", accountId: o.accountId ?? "123456789012" };
    this.store = openStore({
      kind: o.store,
      dataDir: o.dataDir,
      backups: o.backups,
      startCommand: o.startCommand,
      onError: o.onError ?? ((error) => console.error("[sfn]", error)),
    });
    const secret = this.store.meta("taskTokenSecret", TokenCodec.newSecret);
    const tokens = new TokenCodec(Buffer.from(secret, "base64"));
    this.lambdas = new LambdaFunctions(this.account.region, this.account.accountId, o.functions);
    this.dynamo = new DynamoInvoker(this.account.region, o.dynamodb, () => this.clock.now());
    this.awsSdk = new AwsSdkInvoker(this.account.region, o.clients);
    // Mocked service integrations answer the tasks their test case names (mock-config/).
    const mocks = o.mockConfig
      ? new MockedTasks(asMockConfig(o.mockConfig), () => this.executor)
      : undefined;
    const runner = new TaskRunner(
      this.lambdas,
      this.dynamo,
      {
        // Idempotent by name (a re-invoked task reaches the same child, even a finished one).
        startChild: async (req) => {
          const { row } = await executions.start(this.api, req, false);
          return { executionArn: row.arn, startDate: new Date(row.start_ms) };
        },
      },
      this.awsSdk,
      () => this.clock.now(),
      { schedule: (t) => this.api.activities.tasks.schedule(t) },
    );
    const run = (task: TaskToRun, command: TaskCommand) =>
      mocks?.run(task, command) ?? runner.run(task);
    const intercept = o.interceptTask;
    this.executor = new Executor({
      store: this.store,
      clock: this.clock,
      services: { mintTaskToken: (arn, id) => tokens.mint(arn, id) },
      runTask: intercept
        ? (task, command) => intercept(task, command, () => run(task, command))
        : run,
      ...(mocks ? { compile: compileMocked } : {}),
      s3: s3Access(o.clients?.s3 ? () => o.clients?.s3 as S3Client : undefined),
      snapshotCacheSize: o.snapshotCacheSize,
      // AWS's hard quota for standard executions; express ones keep no history on AWS.
      maxHistoryEvents: (type) => (type === "STANDARD" ? MAX_HISTORY_EVENTS : undefined),
      onError: o.onError ?? ((error) => console.error("[sfn]", error)),
      // Express executions' events go to a log stream, as on AWS (express-logs.ts).
      ...(o.dataDir
        ? {
            onEnd: expressLogs(
              o.dataDir,
              (row) => this.executor.history(row, 0, 1e9, false),
              (e) => this.executor.reportError(e),
            ),
          }
        : {}),
    });
    const activityStore = activityStoreFor(this.store);
    this.api = {
      account: this.account,
      clock: this.clock,
      store: this.store,
      executor: this.executor,
      tokens,
      mocks,
      random: o.random ?? Math.random,
      open: openCheck(() => this.closed),
      activities: {
        store: activityStore,
        tasks: new ActivityTasks(activityStore, this.executor, tokens, this.clock),
      },
    };
    const settle = (this.clock as { onSettle?: (f: () => Promise<void>) => () => void }).onSettle;
    this.unsettle = settle?.call(this.clock, () => this.executor.idle());
    this.executor.resume();
  }

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

  /** Stops timers and waits for in-flight work, then closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.api.activities.tasks.close();
    this.unsettle?.();
    await this.executor.close();
    this.dynamo.close();
    this.awsSdk.close();
    await this.store.close();
  }

  // --- state machines (api/state-machines.ts) --------------------------------------------------

  createStateMachine(req: Parameters<typeof machines.createStateMachine>[1] & tags.Tagged) {
    return tags.withTags(this.api, req.tags, () => machines.createStateMachine(this.api, req));
  }
  updateStateMachine(req: Parameters<typeof machines.updateStateMachine>[1]) {
    return machines.updateStateMachine(this.api, req);
  }
  describeStateMachine(req: { stateMachineArn: string }) {
    return machines.describeStateMachine(this.api, req);
  }
  listStateMachines(req: { maxResults?: number; nextToken?: string } = {}) {
    return machines.listStateMachines(this.api, req);
  }
  deleteStateMachine(req: { stateMachineArn: string }) {
    const out = machines.deleteStateMachine(this.api, req);
    tags.dropTags(this.api, req.stateMachineArn);
    return out;
  }
  validateStateMachineDefinition(req: {
    definition: string;
    type?: StateMachineType;
    severity?: "ERROR" | "WARNING";
    maxResults?: number;
  }) {
    return machines.validateStateMachineDefinition(this.api, req);
  }

  // --- versions and aliases (api/versions.ts, api/aliases.ts) ----------------------------------

  publishStateMachineVersion(req: Parameters<typeof versions.publishStateMachineVersion>[1]) {
    return versions.publishStateMachineVersion(this.api, req);
  }
  listStateMachineVersions(req: Parameters<typeof versions.listStateMachineVersions>[1]) {
    return versions.listStateMachineVersions(this.api, req);
  }
  deleteStateMachineVersion(req: { stateMachineVersionArn: string }) {
    return versions.deleteStateMachineVersion(this.api, req);
  }
  createStateMachineAlias(req: Parameters<typeof aliases.createStateMachineAlias>[1]) {
    return aliases.createStateMachineAlias(this.api, req);
  }
  updateStateMachineAlias(req: Parameters<typeof aliases.updateStateMachineAlias>[1]) {
    return aliases.updateStateMachineAlias(this.api, req);
  }
  describeStateMachineAlias(req: { stateMachineAliasArn: string }) {
    return aliases.describeStateMachineAlias(this.api, req);
  }
  listStateMachineAliases(req: Parameters<typeof aliases.listStateMachineAliases>[1]) {
    return aliases.listStateMachineAliases(this.api, req);
  }
  deleteStateMachineAlias(req: { stateMachineAliasArn: string }) {
    return aliases.deleteStateMachineAlias(this.api, req);
  }

  // --- executions (api/executions.ts, api/history.ts, api/redrive.ts) --------------------------

  startExecution(req: { stateMachineArn: string; name?: string; input?: string }) {
    return executions.startExecution(this.api, req);
  }
  /** Runs an EXPRESS execution to its end and returns its result. */
  startSyncExecution(req: { stateMachineArn: string; name?: string; input?: string }) {
    return executions.startSyncExecution(this.api, req);
  }
  describeExecution(req: { executionArn: string }) {
    return executions.describeExecution(this.api, req);
  }
  listExecutions(req: Parameters<typeof executions.listExecutions>[1] = {}) {
    return executions.listExecutions(this.api, req);
  }
  getExecutionHistory(req: Parameters<typeof getExecutionHistory>[1]) {
    return getExecutionHistory(this.api, req);
  }
  stopExecution(req: { executionArn: string; error?: string; cause?: string }) {
    return executions.stopExecution(this.api, req);
  }
  /** Restarts a FAILED, TIMED_OUT or ABORTED STANDARD execution from where it stopped. */
  redriveExecution(req: { executionArn: string; clientToken?: string }) {
    return redrive.redriveExecution(this.api, req);
  }

  // --- Map Runs (api/map-runs.ts) ----------------------------------------------------------------

  listMapRuns(req: Parameters<typeof mapRuns.listMapRuns>[1]) {
    return mapRuns.listMapRuns(this.api, req);
  }
  describeMapRun(req: { mapRunArn: string }) {
    return mapRuns.describeMapRun(this.api, req);
  }
  updateMapRun(req: Parameters<typeof mapRuns.updateMapRun>[1]) {
    return mapRuns.updateMapRun(this.api, req);
  }

  /**
   * Local only, no AWS action: moves ONE execution's clock forward (its waits, timeouts,
   * heartbeats and retry back-offs fire as if that time had passed). See time-travel.ts.
   */
  advanceExecution(req: AdvanceExecutionRequest) {
    this.api.open();
    return advanceExecutionAction(this.executor, req);
  }

  // --- task tokens (api/task-tokens.ts) --------------------------------------------------------

  /**
   * The state machine a task token of this runtime was issued by (undefined for any other
   * string). AWS authorises SendTask* against that state machine; a local IAM check needs it.
   */
  taskTokenStateMachine(token: string): string | undefined {
    return tasks.taskTokenStateMachine(this.api, token);
  }
  sendTaskSuccess(req: { taskToken: string; output: string }) {
    return tasks.sendTaskSuccess(this.api, req);
  }
  sendTaskFailure(req: { taskToken: string; error?: string; cause?: string }) {
    return tasks.sendTaskFailure(this.api, req);
  }
  sendTaskHeartbeat(req: { taskToken: string }) {
    return tasks.sendTaskHeartbeat(this.api, req);
  }

  // --- activities, tags (api/activities.ts, api/tags.ts) ----------------------------------------

  createActivity(req: Parameters<typeof activities.createActivity>[1]) {
    return activities.createActivity(this.api, req);
  }
  describeActivity(req: { activityArn: string }) {
    return activities.describeActivity(this.api, req);
  }
  listActivities(req: { maxResults?: number; nextToken?: string } = {}) {
    return activities.listActivities(this.api, req);
  }
  deleteActivity(req: { activityArn: string }) {
    return activities.deleteActivity(this.api, req);
  }
  /** Long-polls up to 60 s (on the runtime's clock) for a task of the activity. */
  getActivityTask(req: { activityArn: string; workerName?: string }) {
    return activities.getActivityTask(this.api, req);
  }
  tagResource(req: Parameters<typeof tags.tagResource>[1]) {
    return tags.tagResource(this.api, req);
  }
  untagResource(req: { resourceArn: string; tagKeys: string[] }) {
    return tags.untagResource(this.api, req);
  }
  listTagsForResource(req: { resourceArn: string }) {
    return tags.listTagsForResource(this.api, req);
  }
  describeStateMachineForExecution(req: { executionArn: string }) {
    return describeStateMachineForExecution(this.api, req);
  }
  /** Evaluates one state, as AWS's TestState does (api/test-state.ts); writes nothing. */
  testState(req: Parameters<typeof testState>[1]) {
    return testState(this.api, req);
  }
}

/** Creates a runtime; every RUNNING execution in `dataDir` resumes right away. */
export function createRuntime(options: RuntimeOptions = {}): SfnRuntime {
  return new SfnRuntime(options);
}
