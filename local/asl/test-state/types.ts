/**
 * The contract of TestState, the engine's one-state evaluation: the request as AWS's TestState API
 * takes it (JSON members as JSON text), the services a runtime supplies (the integrations, the
 * time and a seed), and the result, with inspection data as JSON values (the wire API turns them
 * into JSON text). See https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
 */
import type { Json, JsonObject } from "../types.ts";

export type InspectionLevel = "INFO" | "DEBUG" | "TRACE";
export type FieldValidationMode = "STRICT" | "PRESENT" | "NONE";
export type TestStateStatus = "SUCCEEDED" | "FAILED" | "RETRIABLE" | "CAUGHT_ERROR";

/** AWS's MockInput: a mocked result (JSON text) or error for the state under test. */
export interface TestStateMock {
  result?: string;
  errorOutput?: { error?: string; cause?: string };
  fieldValidationMode?: FieldValidationMode;
}

/** AWS's TestStateConfiguration. */
export interface TestStateConfiguration {
  retrierRetryCount?: number;
  errorCausedByState?: string;
  mapIterationFailureCount?: number;
  mapItemReaderData?: string;
}

/** AWS's TestStateInput, member for member. */
export interface TestStateRequest {
  /** A state, or a whole state machine when `stateName` is given (JSON text). */
  definition: string;
  roleArn?: string;
  /** JSON text; `{}` when omitted. */
  input?: string;
  /** INFO (default), DEBUG or TRACE. */
  inspectionLevel?: InspectionLevel;
  revealSecrets?: boolean;
  /** JSON text of an object: the variables in scope. */
  variables?: string;
  stateName?: string;
  mock?: TestStateMock;
  /** JSON text of a context object (only with a mock). */
  context?: string;
  stateConfiguration?: TestStateConfiguration;
}

/** One call of an integration the runtime makes for an unmocked Task state. */
export interface TestStateTask {
  stateName: string;
  resource: string;
  /** The effective request (after Parameters / Arguments). */
  input: Json;
  roleArn: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

/** An HTTP exchange, as InspectionData's request/response report it (TRACE). */
export interface HttpTrace {
  request?: { protocol?: string; method?: string; url?: string; headers?: string; body?: string };
  response?: {
    protocol?: string;
    statusCode?: string;
    statusMessage?: string;
    headers?: string;
    body?: string;
  };
}

/** How the integration answered. */
export type TestStateTaskOutcome =
  | { output: Json; trace?: HttpTrace }
  | { error: string; cause?: string; trace?: HttpTrace };

/** What the runtime supplies; every member is deterministic for the engine. */
export interface TestStateServices {
  region: string;
  accountId: string;
  /** Epoch ms: the test's StartTime / EnteredTime. */
  now: number;
  /** Seeds the names TestState invents and `$random()` / `$uuid()` / States.UUID. */
  seed: string;
  /** Whether an unmocked Task can call `resource` here. */
  canInvoke(resource: string): boolean;
  /** Calls the integration for an unmocked Task state, as AWS calls the real service. */
  invoke(task: TestStateTask): Promise<TestStateTaskOutcome>;
  /**
   * Checks a mocked result against the integration's response shape; returns AWS's message
   * (`Mock result schema validation error: ...`) when it does not conform.
   */
  checkMockResult(
    resource: string,
    result: Json,
    mode: "STRICT" | "PRESENT",
  ): string | undefined | Promise<string | undefined>;
}

/** AWS's InspectionErrorDetails. */
export interface InspectionErrorDetails {
  catchIndex?: number;
  retryIndex?: number;
  retryBackoffIntervalSeconds?: number;
}

/** AWS's InspectionData, with JSON values where the wire has JSON text. */
export interface InspectionData extends HttpTrace {
  input?: Json;
  afterArguments?: Json;
  afterInputPath?: Json;
  afterParameters?: Json;
  result?: Json;
  afterResultSelector?: Json;
  afterResultPath?: Json;
  variables?: JsonObject;
  errorDetails?: InspectionErrorDetails;
  afterItemsPath?: Json;
  afterItemSelector?: Json;
  afterItemBatcher?: Json;
  afterItemsPointer?: Json;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  maxConcurrency?: number;
}

/** AWS's TestStateOutput, with JSON values where the wire has JSON text. */
export interface TestStateResult {
  status: TestStateStatus;
  output?: Json;
  error?: string;
  cause?: string;
  nextState?: string;
  /** Present at DEBUG and TRACE. */
  inspectionData?: InspectionData;
}
