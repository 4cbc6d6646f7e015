/**
 * The Step Functions wire API: AWS JSON 1.0 on 127.0.0.1 (`POST /`, `X-Amz-Target:
 * AWSStepFunctions.<Action>`, dates as epoch seconds), so `@aws-sdk/client-sfn` and the AWS CLI
 * work unchanged. Errors become `400 {"__type", "message"}` here and only here.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SfnApiError } from "./errors.ts";
import type { SfnRuntime } from "./runtime.ts";
import { sendList, wireJson } from "./wire-stream.ts";

type Action = (runtime: SfnRuntime, body: Record<string, unknown>) => unknown;

// biome-ignore lint/suspicious/noExplicitAny: request members are checked by the runtime
const call = (fn: (r: SfnRuntime, b: any) => unknown): Action => fn;

/**
 * AWS action name → runtime method. Request members are the API's own (camelCase) names. A Map,
 * not an object: a target such as `AWSStepFunctions.constructor` or `.__proto__` must find nothing.
 */
const ACTIONS: ReadonlyMap<string, Action> = new Map(
  Object.entries({
    CreateStateMachine: call((r, b) => r.createStateMachine(b)),
    UpdateStateMachine: call((r, b) => r.updateStateMachine(b)),
    DescribeStateMachine: call((r, b) => r.describeStateMachine(b)),
    ListStateMachines: call((r, b) => r.listStateMachines(b)),
    DeleteStateMachine: call((r, b) => r.deleteStateMachine(b)),
    ValidateStateMachineDefinition: call((r, b) => r.validateStateMachineDefinition(b)),
    StartExecution: call((r, b) => r.startExecution(b)),
    StartSyncExecution: call((r, b) => r.startSyncExecution(b)),
    DescribeExecution: call((r, b) => r.describeExecution(b)),
    ListExecutions: call((r, b) => r.listExecutions(b)),
    ListMapRuns: call((r, b) => r.listMapRuns(b)),
    DescribeMapRun: call((r, b) => r.describeMapRun(b)),
    UpdateMapRun: call((r, b) => r.updateMapRun(b)),
    GetExecutionHistory: call((r, b) => r.getExecutionHistory(b)),
    StopExecution: call((r, b) => r.stopExecution(b)),
    SendTaskSuccess: call((r, b) => r.sendTaskSuccess(b)),
    SendTaskFailure: call((r, b) => r.sendTaskFailure(b)),
    SendTaskHeartbeat: call((r, b) => r.sendTaskHeartbeat(b)),
    CreateActivity: call((r, b) => r.createActivity(b)),
    DescribeActivity: call((r, b) => r.describeActivity(b)),
    ListActivities: call((r, b) => r.listActivities(b)),
    DeleteActivity: call((r, b) => r.deleteActivity(b)),
    GetActivityTask: call((r, b) => r.getActivityTask(b)),
    TagResource: call((r, b) => r.tagResource(b)),
    UntagResource: call((r, b) => r.untagResource(b)),
    ListTagsForResource: call((r, b) => r.listTagsForResource(b)),
    DescribeStateMachineForExecution: call((r, b) => r.describeStateMachineForExecution(b)),
    TestState: call((r, b) => r.testState(b)),
    PublishStateMachineVersion: call((r, b) => r.publishStateMachineVersion(b)),
    ListStateMachineVersions: call((r, b) => r.listStateMachineVersions(b)),
    DeleteStateMachineVersion: call((r, b) => r.deleteStateMachineVersion(b)),
    CreateStateMachineAlias: call((r, b) => r.createStateMachineAlias(b)),
    UpdateStateMachineAlias: call((r, b) => r.updateStateMachineAlias(b)),
    DescribeStateMachineAlias: call((r, b) => r.describeStateMachineAlias(b)),
    ListStateMachineAliases: call((r, b) => r.listStateMachineAliases(b)),
    DeleteStateMachineAlias: call((r, b) => r.deleteStateMachineAlias(b)),
    RedriveExecution: call((r, b) => r.redriveExecution(b)),
    // Local only, not an AWS action: time travel for one execution (time-travel.ts). Prefixed so
    // it can never collide with an action AWS adds; AWS answers it UnknownOperationException.
    CountersignAdvanceExecution: call((r, b) => r.advanceExecution(b)),
  }),
);

/** Actions whose answer is a long list, written in pieces (`wire-stream.ts`): action → member. */
const LISTS: ReadonlyMap<string, string> = new Map([["GetExecutionHistory", "events"]]);

const CONTENT_TYPE = "application/x-amz-json-1.0";
const MAX_BODY = 2 * 1024 * 1024;

export interface ServeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback only by default. */
  host?: string;
}

export interface SfnServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `runtime` over HTTP; resolves once it accepts connections. */
export async function serveSfnApi(
  runtime: SfnRuntime,
  options: ServeOptions = {},
): Promise<SfnServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    void handle(runtime, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  runtime: SfnRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  try {
    if (req.method !== "POST") {
      throw new SfnApiError("UnknownOperationException", "Use POST / with an X-Amz-Target header");
    }
    const target = String(req.headers["x-amz-target"] ?? "");
    const [service, actionName] = target.split(".");
    const action =
      service === "AWSStepFunctions" && actionName ? ACTIONS.get(actionName) : undefined;
    if (!action) {
      throw new SfnApiError(
        "UnknownOperationException",
        `Unknown operation '${target}'; expected AWSStepFunctions.<Action> (${[...ACTIONS.keys()].join(", ")})`,
      );
    }
    const body = await readJson(req);
    const result = await action(runtime, body);
    const list = LISTS.get(actionName as string);
    if (list && result && typeof result === "object") {
      const headers = { "Content-Type": CONTENT_TYPE, "x-amzn-RequestId": requestId };
      await sendList(res, result as Record<string, unknown>, list, headers);
      return;
    }
    send(res, 200, result ?? {}, requestId);
  } catch (error) {
    if (res.headersSent) {
      // A list written in pieces failed midway: all the client can be told is that it was cut.
      console.error(`[sfn] response cut short (request ${requestId})`, error);
      res.destroy();
      return;
    }
    if (error instanceof SfnApiError) {
      send(
        res,
        error.status,
        { __type: error.name, message: error.message },
        requestId,
        error.name,
      );
    } else {
      // The details stay in this process's log: a response never carries an internal object.
      console.error(`[sfn] internal error (request ${requestId})`, error);
      send(
        res,
        500,
        {
          __type: "InternalFailure",
          message: `Internal failure; see the server log for request ${requestId}`,
        },
        requestId,
        "InternalFailure",
      );
    }
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new SfnApiError("ValidationException", "Request body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // reported below
  }
  throw new SfnApiError("SerializationException", "The request body must be a JSON object");
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  errorType?: string,
): void {
  const json = wireJson(body);
  res.writeHead(status, {
    "Content-Type": CONTENT_TYPE,
    "Content-Length": Buffer.byteLength(json),
    "x-amzn-RequestId": requestId,
    ...(errorType ? { "x-amzn-ErrorType": errorType } : {}),
  });
  res.end(json);
}
