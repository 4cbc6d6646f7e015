/**
 * Runs one Task command: routes its resource to the Lambda, DynamoDB or Step Functions invoker
 * and says how the task continues — finished with an output, waiting for its token, or waiting for
 * a child execution (`.sync`). Failures throw `TaskInvocationError` with AWS's error and cause.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Json, JsonObject } from "../../asl/types.ts";
import { TaskInvocationError } from "../errors.ts";
import type { ExecutionRow } from "../store/index.ts";
import type { AwsSdkInvoker } from "./aws-sdk.ts";
import type { DynamoInvoker } from "./dynamodb.ts";
import type { LambdaFunctions } from "./lambda.ts";
import { eventOf, lambdaInvokeResult } from "./lambda-invoke.ts";
import { type Pattern, resolveResource } from "./resources.ts";
import { httpDate, javaDouble, sdkMetadata } from "./sdk-metadata.ts";

/**
 * How a task goes on after its invocation: finished, or waiting for its token or its child
 * execution; `submitted` is the service's answer, which AWS records as the TaskSubmitted event.
 */
export type TaskOutcome =
  | { kind: "succeeded"; output: Json }
  | { kind: "waiting"; submitted?: Json }
  | { kind: "child"; childArn: string; submitted?: Json };

export interface TaskToRun {
  executionArn: string;
  taskId: string;
  resource: string;
  input: Json;
}

/** Where an activity Task's input goes: the activity's queue, for a worker to take. */
export interface ActivityScheduler {
  schedule(t: { activityArn: string; executionArn: string; taskId: string; input: Json }): void;
}

/** What the `states:startExecution` integration needs from the runtime. */
export interface ChildExecutions {
  startChild(req: {
    stateMachineArn: string;
    name: string;
    input: string;
  }): Promise<{ executionArn: string; startDate: Date }>;
}

export class TaskRunner {
  constructor(
    private readonly lambdas: LambdaFunctions,
    private readonly dynamo: DynamoInvoker,
    private readonly children: ChildExecutions,
    private readonly awsSdk?: AwsSdkInvoker,
    /** The runtime's clock (response dates). */
    private readonly now: () => number = Date.now,
    private readonly activities?: ActivityScheduler,
  ) {}

  async run(task: TaskToRun): Promise<TaskOutcome> {
    const r = resolveResource(task.resource);
    if (!r) {
      throw new TaskInvocationError("States.Runtime", `Unsupported resource: ${task.resource}`);
    }
    switch (r.service) {
      case "lambda":
        return {
          kind: "succeeded",
          output: await this.lambdas.invoke(r.functionName, eventOf(task.input)),
        };
      case "lambda:invoke": {
        const params = asObject(task.input, "lambda:invoke");
        const fn = params.FunctionName;
        if (typeof fn !== "string") {
          throw new TaskInvocationError(
            "States.Runtime",
            "lambda:invoke needs Parameters.FunctionName (a function name or ARN)",
          );
        }
        const response = await this.lambdas.call(fn, eventOf(params.Payload));
        const output = lambdaInvokeResult(response, params, this.now());
        if (r.pattern === "waitForTaskToken") return { kind: "waiting", submitted: output };
        return { kind: "succeeded", output };
      }
      case "dynamodb":
        return { kind: "succeeded", output: await this.dynamo.invoke(r.action, task.input) };
      case "states:startExecution":
        return this.startExecution(task, r.pattern);
      case "aws-sdk": {
        if (!this.awsSdk)
          throw new TaskInvocationError(
            "States.Runtime",
            "aws-sdk integrations are not configured",
          );
        const output = await this.awsSdk.invoke(r.sdk, task.input);
        return r.pattern === "waitForTaskToken"
          ? { kind: "waiting" }
          : { kind: "succeeded", output };
      }
      case "activity":
        if (!this.activities) {
          throw new TaskInvocationError("States.Runtime", "this runtime runs no activities");
        }
        this.activities.schedule({
          activityArn: r.activityArn,
          executionArn: task.executionArn,
          taskId: task.taskId,
          input: task.input,
        });
        return { kind: "waiting" };
    }
  }

  private async startExecution(task: TaskToRun, pattern: Pattern): Promise<TaskOutcome> {
    const params = asObject(task.input, "states:startExecution");
    const stateMachineArn = params.StateMachineArn;
    if (typeof stateMachineArn !== "string") {
      throw new TaskInvocationError(
        "States.Runtime",
        "states:startExecution needs Parameters.StateMachineArn",
      );
    }
    // An absent or null Input starts the child with `{}`, as AWS does.
    const input =
      params.Input === undefined || params.Input === null
        ? "{}"
        : typeof params.Input === "string"
          ? params.Input
          : JSON.stringify(params.Input);
    // A re-invoked task (after a crash) must reach the same child: derive its name.
    const name =
      typeof params.Name === "string"
        ? params.Name
        : createHash("sha256")
            .update(`${task.executionArn}\n${task.taskId}`)
            .digest("hex")
            .slice(0, 32);
    let started: { executionArn: string; startDate: Date };
    try {
      started = await this.children.startChild({ stateMachineArn, name, input });
    } catch (error) {
      // The Java SDK's exception class names the error: StateMachineDoesNotExist → ...Exception.
      const err = error as Error;
      const type = err.name.endsWith("Exception") ? err.name : `${err.name}Exception`;
      throw new TaskInvocationError(
        `StepFunctions.${type}`,
        `${err.message} (Service: AWSStepFunctions; Status Code: 400; Error Code: ${err.name}; Request ID: ${randomUUID()}; Proxy: null)`,
        { cause: error },
      );
    }
    const output = startExecutionResult(started, this.now());
    if (pattern === "request") return { kind: "succeeded", output };
    if (pattern === "waitForTaskToken") return { kind: "waiting", submitted: output };
    return { kind: "child", childArn: started.executionArn, submitted: output };
  }
}

/**
 * The `.sync` / `.sync:2` result of a finished child: the DescribeExecution shape (Output as a string
 * for `.sync`, as JSON for `.sync:2`); a child that did not succeed fails the task with
 * States.TaskFailed and that shape as cause.
 */
export function childOutcome(child: ExecutionRow, resource: string): Json {
  const r = resolveResource(resource);
  const json = r?.pattern === "sync2";
  const description: JsonObject = {
    ExecutionArn: child.arn,
    Input: json ? (JSON.parse(child.input) as Json) : child.input,
    InputDetails: { Included: true },
    Name: child.name,
    StartDate: child.start_ms,
    StateMachineArn: child.machine_arn,
    Status: child.status,
    StopDate: child.stop_ms ?? child.start_ms,
  };
  if (child.status === "SUCCEEDED") {
    const output = child.output ?? "null";
    description.Output = json ? (JSON.parse(output) as Json) : output;
    description.OutputDetails = { Included: true };
    return description;
  }
  if (child.error !== null) description.Error = child.error;
  if (child.cause !== null) description.Cause = child.cause;
  throw new TaskInvocationError("States.TaskFailed", JSON.stringify(description));
}

/** The `states:startExecution` result: StartExecution's answer and its HTTP metadata. */
function startExecutionResult(
  started: { executionArn: string; startDate: Date },
  now: number,
): JsonObject {
  const requestId = randomUUID();
  // The size of the JSON body AWS answers with (timestamps as Java writes doubles).
  const body = `{"executionArn":${JSON.stringify(started.executionArn)},"startDate":${javaDouble(started.startDate.getTime() / 1000)}}`;
  return {
    ExecutionArn: started.executionArn,
    ...sdkMetadata(
      [
        ["x-amzn-RequestId", requestId],
        ["connection", "keep-alive"],
        ["Content-Length", String(Buffer.byteLength(body))],
        ["Date", httpDate(now)],
        ["Content-Type", "application/x-amz-json-1.0"],
      ],
      requestId,
    ),
    StartDate: started.startDate.getTime(),
  };
}

function asObject(input: Json, integration: string): JsonObject {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new TaskInvocationError(
      "States.Runtime",
      `The ${integration} parameters must be an object, got ${JSON.stringify(input)}`,
    );
  }
  return input;
}
