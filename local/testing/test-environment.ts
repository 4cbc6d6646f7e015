/**
 * `createTestEnvironment`: the runtime users run (`local/sfn`, the one executor), in memory, on a
 * virtual clock, with the user's handlers in-process and optional mocked task states — so a test
 * starts executions, answers callbacks, skips a day in milliseconds and reads the path taken.
 * Temporal's time-skipping `TestWorkflowEnvironment` is the model: no second engine driver, only
 * a thin shape over `createRuntime`.
 *
 * Mocks use Step Functions Local's mocked responses (`../sfn/mock-config/`): `mocks` maps state
 * names to `{ "0": { Return } | { Throw }, "1-2": ... }` for every execution of the environment;
 * `mockConfig` takes a whole `MockConfigFile.json`, and `start(input, { testCase })` picks one.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type DynamoDbLocal, startDynamoDbLocal } from "../emulators/dynamodb-local.ts";
import { parseDuration } from "../sfn/duration.ts";
import {
  createRuntime,
  type FunctionConfig,
  type FunctionMap,
  type LambdaContext,
  type SfnRuntime,
  VirtualClock,
} from "../sfn/index.ts";
import { parseMockConfig } from "../sfn/mock-config/mock-config.ts";
import { type DefinitionOptions, loadDefinition } from "./definition-source.ts";
import { TestEnvironmentError } from "./errors.ts";
import { TestRun } from "./test-run.ts";

/** One state's mocked answers, by invocation: `{ "0": { Return: {...} }, "1-2": { Throw: {...} } }`. */
export type MockedAnswers = Record<
  string,
  { Return: unknown } | { Throw: { Error: string; Cause?: string } }
>;

/**
 * A Lambda handler with any event type (`(order: Order) => ...`): the test knows what its
 * definition sends, so the library does not make it narrow `unknown` first.
 */
export type TestHandler = (event: never, context: LambdaContext) => unknown;

export interface TestEnvironmentOptions extends DefinitionOptions {
  /** Lambda handlers by function name (or ARN); `${NameFunctionArn}` placeholders reach `Name`. */
  handlers?: Record<
    string,
    TestHandler | (Omit<FunctionConfig, "handler"> & { handler: TestHandler })
  >;
  /** Mocked answers by Task state name, for every execution (Step Functions Local's format). */
  mocks?: Record<string, MockedAnswers>;
  /** A Step Functions Local `MockConfigFile.json` (path or parsed); `start(..., { testCase })`. */
  mockConfig?: string | object;
  /** Only `"virtual"`: time moves when the test says so (the default). */
  clock?: "virtual";
  /** Where the virtual clock starts (default 2025-01-01T00:00:00Z). */
  startTime?: Date | number;
  /**
   * `"local"`: DynamoDB integrations and handlers' SDK clients use DynamoDB Local — the one at
   * `AWS_ENDPOINT_URL_DYNAMODB` if set, else one started in memory for this environment (Java 17+).
   */
  dynamodb?: "local";
  /** The state machine's name (default: the file's name, or "machine"). */
  name?: string;
  /** STANDARD (default) or EXPRESS. */
  type?: "STANDARD" | "EXPRESS";
  /** The ARNs' account and region (default 123456789012, us-east-1). */
  accountId?: string;
  region?: string;
}

export interface StartOptions {
  /** The execution's name (default: generated). */
  name?: string;
  /** A test case of `mockConfig` for this execution. */
  testCase?: string;
}

const REGION = "us-east-1";
const ACCOUNT = "123456789012";
/** The implicit test case that carries `mocks`. */
const ENV_CASE = "createTestEnvironment.mocks";

export class TestEnvironment {
  private constructor(
    readonly runtime: SfnRuntime,
    readonly clock: VirtualClock,
    readonly stateMachineArn: string,
    private readonly defaultCase: string | undefined,
    private readonly cleanup: () => Promise<void>,
  ) {}

  /** Use `createTestEnvironment`. */
  static async create(o: TestEnvironmentOptions): Promise<TestEnvironment> {
    if (o.clock !== undefined && o.clock !== "virtual") {
      throw new TestEnvironmentError(
        `clock: only "virtual" is supported (time moves with env.advance), got ${JSON.stringify(o.clock)}`,
      );
    }
    const region = o.region ?? REGION;
    const account = o.accountId ?? ACCOUNT;
    const functionArn = (n: string) => `arn:aws:lambda:${region}:${account}:function:${n}`;
    const { text, name: fileName } = loadDefinition(o, functionArn);
    const name = o.name ?? fileName;
    const mockConfig = mockConfigFor(o, name);
    const clock = new VirtualClock(o.startTime ?? Date.UTC(2025, 0, 1));
    let dynamo: { client: DynamoDBClient; stop: () => Promise<void> } | undefined;
    if (o.dynamodb === "local") dynamo = await localDynamo(region);
    else if (o.dynamodb !== undefined) {
      throw new TestEnvironmentError(
        `dynamodb: only "local" is supported, got ${JSON.stringify(o.dynamodb)}`,
      );
    }
    const runtime = createRuntime({
      clock,
      store: "memory",
      region,
      accountId: account,
      // The runtime hands each handler the event the definition built, whatever its type.
      functions: (o.handlers ?? {}) as FunctionMap,
      ...(mockConfig ? { mockConfig } : {}),
      ...(dynamo ? { dynamodb: dynamo.client } : {}),
    });
    try {
      const { stateMachineArn } = runtime.createStateMachine({
        name,
        definition: text,
        roleArn: `arn:aws:iam::${account}:role/${name}`,
        ...(o.type ? { type: o.type } : {}),
      });
      const cleanup = async () => {
        await runtime.close();
        await dynamo?.stop();
      };
      return new TestEnvironment(
        runtime,
        clock,
        stateMachineArn,
        o.mocks ? ENV_CASE : undefined,
        cleanup,
      );
    } catch (error) {
      await runtime.close();
      await dynamo?.stop();
      throw error;
    }
  }

  /** Starts an execution with `input` (any JSON value) and lets it run up to its first wait. */
  async start(input: unknown = {}, o: StartOptions = {}): Promise<TestRun> {
    const testCase = o.testCase ?? this.defaultCase;
    const { executionArn } = await this.runtime.startExecution({
      stateMachineArn: testCase ? `${this.stateMachineArn}#${testCase}` : this.stateMachineArn,
      input: JSON.stringify(input),
      ...(o.name ? { name: o.name } : {}),
    });
    await this.settle();
    return new TestRun(executionArn, this.runtime, this.clock);
  }

  /** A run for an execution started some other way (by a handler, over the runtime's API). */
  run(executionArn: string): TestRun {
    this.runtime.describeExecution({ executionArn }); // ExecutionDoesNotExist, named by the API
    return new TestRun(executionArn, this.runtime, this.clock);
  }

  /** Answers a callback (SendTaskSuccess) with `output` (any JSON value), then lets work run. */
  async sendTaskSuccess(taskToken: string, output: unknown = {}): Promise<void> {
    await this.runtime.sendTaskSuccess({ taskToken, output: JSON.stringify(output) });
    await this.settle();
  }

  /** Fails a callback (SendTaskFailure), then lets work run. */
  async sendTaskFailure(taskToken: string, error: string, cause?: string): Promise<void> {
    await this.runtime.sendTaskFailure({ taskToken, error, ...(cause ? { cause } : {}) });
    await this.settle();
  }

  /**
   * Moves the virtual clock forward by `duration` (ms, or `"24h"`, `"90m"`...) for every
   * execution: each wait, timeout, heartbeat and retry back-off due on the way fires in order.
   */
  async advance(duration: number | string): Promise<void> {
    await this.clock.advance(parseDuration(duration, "advance"));
  }

  /** The virtual time now. */
  now(): Date {
    return new Date(this.clock.now());
  }

  /** Waits for all work in flight (task handlers, steps) without moving the clock. */
  async settle(): Promise<void> {
    await this.runtime.idle();
    await this.clock.runDue();
  }

  /** Stops the runtime (and a DynamoDB Local it started). */
  close(): Promise<void> {
    return this.cleanup();
  }
}

/** Builds a test environment (see the module comment and local/testing/README.md). */
export function createTestEnvironment(o: TestEnvironmentOptions): Promise<TestEnvironment> {
  return TestEnvironment.create(o);
}

/** `mockConfig` and `mocks` as one Step Functions Local mock config (checked), if any. */
function mockConfigFor(o: TestEnvironmentOptions, machine: string) {
  if (!o.mockConfig && !o.mocks) return undefined;
  let file: { StateMachines: Record<string, { TestCases: Record<string, unknown> }> } & {
    MockedResponses: Record<string, unknown>;
  } = { StateMachines: {}, MockedResponses: {} };
  const source = typeof o.mockConfig === "string" ? o.mockConfig : "mockConfig";
  if (typeof o.mockConfig === "string") {
    try {
      file = JSON.parse(readFileSync(resolve(o.mockConfig), "utf8"));
    } catch (cause) {
      throw new TestEnvironmentError(
        `mockConfig: cannot read ${o.mockConfig} as JSON (${(cause as Error).message})`,
        { cause },
      );
    }
  } else if (o.mockConfig) {
    file = structuredClone(o.mockConfig) as typeof file;
  }
  if (o.mocks) {
    // The environment's mocks become one more test case, with responses named after their states.
    const states: Record<string, string> = {};
    for (const [state, answers] of Object.entries(o.mocks)) {
      const ref = `${ENV_CASE}.${state}`;
      states[state] = ref;
      if (file.MockedResponses && typeof file.MockedResponses === "object") {
        file.MockedResponses[ref] = answers;
      }
    }
    if (file.StateMachines && typeof file.StateMachines === "object") {
      file.StateMachines[machine] ??= { TestCases: {} };
      const cases = file.StateMachines[machine];
      if (cases.TestCases && typeof cases.TestCases === "object")
        cases.TestCases[ENV_CASE] = states;
    }
  }
  return parseMockConfig(file, o.mocks && !o.mockConfig ? "mocks" : source);
}

/** DynamoDB Local for the environment: the one configured, or a fresh in-memory one. */
async function localDynamo(
  region: string,
): Promise<{ client: DynamoDBClient; stop: () => Promise<void> }> {
  const credentials = { accessKeyId: "local", secretAccessKey: "local" };
  const configured = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (configured) {
    const client = new DynamoDBClient({ endpoint: configured, region, credentials });
    return { client, stop: async () => client.destroy() };
  }
  const local: DynamoDbLocal = await startDynamoDbLocal();
  // Handlers' own SDK clients find it the way they find it on the platform.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  const client = new DynamoDBClient({ endpoint: local.endpoint, region, credentials });
  return {
    client,
    stop: async () => {
      client.destroy();
      if (process.env.AWS_ENDPOINT_URL_DYNAMODB === local.endpoint) {
        delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      }
      await local.stop();
    },
  };
}
