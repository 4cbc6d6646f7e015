/**
 * Runs one Task command: routes its resource to the Lambda, DynamoDB or Step Functions invoker
 * and says how the task continues — finished with an output, waiting for its token, or waiting for
 * a child execution (`.sync`). Failures throw `TaskInvocationError` with AWS's error and cause.
 */
import { createHash } from "node:crypto";
import type { Json, JsonObject } from "../../asl/types.ts";
import { TaskInvocationError } from "../errors.ts";
import type { ExecutionRow } from "../store/index.ts";
import type { AwsSdkInvoker } from "./aws-sdk.ts";
import type { DynamoInvoker } from "./dynamodb.ts";
import type { LambdaFunctions } from "./lambda.ts";
import { type Pattern, resolveResource } from "./resources.ts";

export type TaskOutcome =
  | { kind: "succeeded"; output: Json }
  | { kind: "waiting" }
  | { kind: "child"; childArn: string };

export interface TaskToRun {
  executionArn: string;
  taskId: string;
  resource: string;
  input: Json;
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
  ) {}

  async run(task: TaskToRun): Promise<TaskOutcome> {
    const r = resolveResource(task.resource);
    if (!r) {
      throw new TaskInvocationError("States.Runtime", `Unsupported resource: ${task.resource}`);
    }
    switch (r.service) {
      case "lambda":
        return { kind: "succeeded", output: await this.lambdas.invoke(r.functionName, task.input) };
      case "lambda:invoke": {
        const params = asObject(task.input, "lambda:invoke");
        const fn = params.FunctionName;
        if (typeof fn !== "string") {
          throw new TaskInvocationError(
            "States.Runtime",
            "lambda:invoke needs Parameters.FunctionName (a function name or ARN)",
          );
        }
        const payload = await this.lambdas.invoke(fn, params.Payload ?? {});
        if (r.pattern === "waitForTaskToken") return { kind: "waiting" };
        return { kind: "succeeded", output: lambdaInvokeResult(payload) };
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
    const input =
      params.Input === undefined
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
      const err = error as Error;
      throw new TaskInvocationError(
        `StepFunctions.${err.name}`,
        `${err.message} (Service: AWSStepFunctions; Status Code: 400; Error Code: ${err.name})`,
        { cause: error },
      );
    }
    if (pattern === "request" || pattern === "waitForTaskToken") {
      if (pattern === "waitForTaskToken") return { kind: "waiting" };
      return {
        kind: "succeeded",
        output: { ExecutionArn: started.executionArn, StartDate: started.startDate.getTime() },
      };
    }
    return { kind: "child", childArn: started.executionArn };
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

/** AWS's `lambda:invoke` result around the function's payload. */
function lambdaInvokeResult(payload: Json): Json {
  return {
    ExecutedVersion: "$LATEST",
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: {
        "X-Amz-Executed-Version": ["$LATEST"],
        "Content-Type": ["application/json"],
      },
      HttpHeaders: { "Content-Type": "application/json", "X-Amz-Executed-Version": "$LATEST" },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: "00000000-0000-0000-0000-000000000000" },
    StatusCode: 200,
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
