/**
 * Lambda handlers run in-process, each invocation with a fresh Lambda context, a per-function
 * timeout, and AWS's error shape: Error = the thrown error's name, Cause = JSON
 * `{errorType, errorMessage, trace}`; a timeout is `Sandbox.Timedout`.
 * See https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
import { randomUUID } from "node:crypto";
import type { Json } from "../../asl/types.ts";
import { tooDeepMessage, valueTooDeep } from "../api/limits.ts";
import { TaskInvocationError } from "../errors.ts";
import { pythonJsonDumps } from "./python-json.ts";

/** The Lambda context handed to handlers (the fields of `aws-lambda`'s `Context`). */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  done(error?: Error, result?: unknown): void;
  fail(error: Error | string): void;
  succeed(result: unknown): void;
}

/** A Lambda handler: async (event, context) or callback style (event, context, callback). */
export type Handler = (
  event: unknown,
  context: LambdaContext,
  callback?: (error?: unknown, result?: unknown) => void,
) => unknown;

/** A handler with its settings; `timeoutSeconds` defaults to 30. */
export interface FunctionConfig {
  handler: Handler;
  timeoutSeconds?: number;
  memoryMB?: number;
  /**
   * The Lambda runtime the handler stands for (default `nodejs`). `python` shapes errors as
   * Lambda's Python runtime does (`{errorMessage, errorType, requestId, stackTrace}`) and sizes
   * responses as its `json.dumps` writes them.
   */
  runtime?: "nodejs" | "python";
}

/** A successful invocation and what Lambda's Invoke response says about it. */
export interface LambdaResponse {
  payload: Json;
  requestId: string;
  /** Size of the response body as the function's runtime serialized it. */
  bodyBytes: number;
  durationMs: number;
  memoryMB: number;
}

/** Functions keyed by name (`charge-payment`) or ARN (`arn:aws:lambda:...:function:charge-payment`). */
export type FunctionMap = Record<string, Handler | FunctionConfig>;

const DEFAULT_TIMEOUT_SECONDS = 30;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
const TIMED_OUT = { ok: false, error: "timeout" } as const;

/**
 * One invocation: its Lambda context (methods on the prototype: an invocation creates no
 * closures, which tsx makes costly) and how it ends: a return, a callback, or the timeout.
 */
class Invocation implements LambdaContext {
  readonly functionVersion = "$LATEST";
  readonly awsRequestId = randomUUID();
  readonly memoryLimitInMB: string;
  callbackWaitsForEmptyEventLoop = true;
  readonly outcome: Promise<Outcome>;
  private readonly deadline: number;
  private resolve!: (outcome: Outcome) => void;

  constructor(
    readonly functionName: string,
    readonly invokedFunctionArn: string,
    memoryMB: number,
    timeoutMs: number,
  ) {
    this.memoryLimitInMB = String(memoryMB);
    this.deadline = Date.now() + timeoutMs;
    this.outcome = new Promise<Outcome>((resolve) => {
      this.resolve = resolve;
    });
  }

  get logGroupName(): string {
    return `/aws/lambda/${this.functionName}`;
  }
  get logStreamName(): string {
    return `local/${this.awsRequestId}`;
  }
  getRemainingTimeInMillis(): number {
    return Math.max(0, this.deadline - Date.now());
  }
  done(error?: Error, result?: unknown): void {
    this.settle(error ? { ok: false, error } : { ok: true, value: result });
  }
  fail(error: Error | string): void {
    this.settle({ ok: false, error: typeof error === "string" ? new Error(error) : error });
  }
  succeed(result: unknown): void {
    this.settle({ ok: true, value: result });
  }
  /** The third argument of a callback-style handler. */
  callback(): (error?: unknown, result?: unknown) => void {
    return (error, result) =>
      this.settle(error ? { ok: false, error } : { ok: true, value: result });
  }
  /** The first outcome wins (a promise resolves once). */
  settle(outcome: Outcome): void {
    this.resolve(outcome);
  }
}

/** Registry and invoker of in-process Lambda handlers. */
export class LambdaFunctions {
  private readonly byKey = new Map<string, FunctionConfig>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
    functions: FunctionMap = {},
  ) {
    for (const [key, fn] of Object.entries(functions)) this.register(key, fn);
  }

  /** Registers (or replaces) a handler under a function name or ARN. */
  register(nameOrArn: string, fn: Handler | FunctionConfig): void {
    const config = typeof fn === "function" ? { handler: fn } : fn;
    if (typeof config.handler !== "function") {
      throw new TypeError(`functions["${nameOrArn}"] must be a handler function or { handler }`);
    }
    this.byKey.set(nameOrArn, config);
  }

  has(functionName: string): boolean {
    return this.lookup(functionName) !== undefined;
  }

  /** Invokes a function and returns its result; failures throw `TaskInvocationError`. */
  async invoke(functionName: string, payload: Json): Promise<Json> {
    return (await this.call(functionName, payload)).payload;
  }

  /**
   * Invokes a function and returns its result with what Lambda's Invoke response tells beside it
   * (request id, response size, log tail); failures throw `TaskInvocationError`.
   */
  async call(functionName: string, payload: Json): Promise<LambdaResponse> {
    const name = baseName(functionName);
    const config = this.lookup(functionName);
    const arn = `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
    if (!config) {
      // Lambda's Invoke names the version it looked for: `$LATEST` for an unqualified name.
      const qualified = qualifierOf(functionName)
        ? `${arn}:${qualifierOf(functionName)}`
        : `${arn}:$LATEST`;
      throw new TaskInvocationError(
        "Lambda.ResourceNotFoundException",
        `Function not found: ${qualified} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${randomUUID()}; Proxy: null)`,
      );
    }
    const timeoutMs = (config.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const memoryMB = config.memoryMB ?? 128;
    const invocation = new Invocation(name, arn, memoryMB, timeoutMs);
    const started = Date.now();
    // Handlers get their own copy, as a real invocation deserializes the payload.
    const event = JSON.parse(JSON.stringify(payload)) as Json;
    try {
      const returned =
        config.handler.length >= 3
          ? config.handler(event, invocation, invocation.callback())
          : config.handler(event, invocation);
      if (config.handler.length < 3 || isPromise(returned)) {
        Promise.resolve(returned).then(
          (value) => invocation.settle({ ok: true, value }),
          (error: unknown) => invocation.settle({ ok: false, error }),
        );
      }
    } catch (error) {
      invocation.settle({ ok: false, error });
    }
    const timer = setTimeout(() => invocation.settle(TIMED_OUT), timeoutMs);
    const outcome = await invocation.outcome;
    clearTimeout(timer);
    if (outcome === TIMED_OUT) {
      const seconds = (timeoutMs / 1000).toFixed(2);
      throw new TaskInvocationError(
        "Sandbox.Timedout",
        JSON.stringify({
          errorType: "Sandbox.Timedout",
          errorMessage: `RequestId: ${invocation.awsRequestId} Error: Task timed out after ${seconds} seconds`,
        }),
      );
    }
    if (!outcome.ok) throw lambdaError(outcome.error, config.runtime, invocation.awsRequestId);
    const result = toJson(outcome.value);
    const body = config.runtime === "python" ? pythonJsonDumps(result) : JSON.stringify(result);
    return {
      payload: result,
      requestId: invocation.awsRequestId,
      bodyBytes: Buffer.byteLength(body, "utf8"),
      durationMs: Date.now() - started,
      memoryMB,
    };
  }

  private lookup(functionName: string): FunctionConfig | undefined {
    return (
      this.byKey.get(functionName) ??
      this.byKey.get(stripQualifier(functionName)) ??
      this.byKey.get(baseName(functionName))
    );
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/** `arn:aws:lambda:r:a:function:name:alias` → `name`; a bare name stays as it is. */
export function baseName(functionName: string): string {
  if (functionName.startsWith("arn:")) return functionName.split(":")[6] ?? functionName;
  return functionName.split(":")[0] ?? functionName;
}

/** The version or alias a function name or ARN names, if any. */
function qualifierOf(functionName: string): string | undefined {
  return functionName.startsWith("arn:") ? functionName.split(":")[7] : functionName.split(":")[1];
}

function stripQualifier(functionName: string): string {
  if (!functionName.startsWith("arn:")) return functionName;
  return functionName.split(":").slice(0, 7).join(":");
}

/**
 * What Lambda's runtime reports for a thrown value: Node's `{errorType, errorMessage, trace}`, or
 * Python's `{errorMessage, errorType, requestId, stackTrace}`.
 */
function lambdaError(
  error: unknown,
  runtime: FunctionConfig["runtime"],
  requestId: string,
): TaskInvocationError {
  const err = error instanceof Error ? error : new Error(String(error));
  const errorType = err.name || "Error";
  const trace = (err.stack ?? `${errorType}: ${err.message}`).split("\n");
  const cause =
    runtime === "python"
      ? { errorMessage: err.message, errorType, requestId, stackTrace: trace.slice(1) }
      : { errorType, errorMessage: err.message, trace };
  return new TaskInvocationError(errorType, JSON.stringify(cause), { cause: error });
}

/**
 * A handler's return as Lambda would serialize it (undefined → null). A result nested deeper than
 * the service parses is refused as data over its limits (`api/limits.ts`), not a stack overflow.
 */
function toJson(value: unknown): Json {
  if (value === undefined) return null;
  if (valueTooDeep(value)) {
    throw new TaskInvocationError("States.DataLimitExceeded", tooDeepMessage("The task's result"));
  }
  return JSON.parse(JSON.stringify(value)) as Json;
}
