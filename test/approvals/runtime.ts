/**
 * The approvals API wired to the REAL local Step Functions runtime over its wire API, sharing one
 * virtual clock: a saga-shaped state machine whose `.waitForTaskToken` task is the approvals
 * request handler, run in-process like a Lambda.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { type RunningApi, serveApi } from "../../functions/api/node.ts";
import type { ApprovalSettings } from "../../functions/approvals/index.ts";
import {
  createRuntime,
  type FunctionMap,
  type SfnRuntime,
  type SfnServer,
  VirtualClock,
} from "../../local/sfn/index.ts";
import { serveOverWire } from "../support/sfn-wire.ts";
import { captureLog, testDeps, unique } from "./harness.ts";

/**
 * A small workflow: ask for approval through the request contract (fields taken from the input;
 * absent ones are left out), then charge on approve, compensate otherwise.
 */
export function approvalMachine(timeoutSeconds = 3600) {
  return {
    QueryLanguage: "JSONata",
    StartAt: "RequestApproval",
    States: {
      RequestApproval: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Arguments: {
          FunctionName: "RequestApproval",
          // Absent fields stay absent (a JSONata field that is undefined is an error).
          Payload: `{% $merge([$states.input, {'taskToken': $states.context.Task.Token, 'executionArn': $states.context.Execution.Id, 'timeoutSeconds': ${timeoutSeconds}}]) %}`,
        },
        TimeoutSeconds: timeoutSeconds,
        Catch: [
          {
            ErrorEquals: ["States.ALL"],
            Output:
              "{% {'error': $states.errorOutput.Error, 'cause': $states.errorOutput.Cause} %}",
            Next: "Compensate",
          },
        ],
        Next: "ApprovalDecision",
      },
      ApprovalDecision: {
        Type: "Choice",
        Choices: [{ Condition: "{% $states.input.decision = 'approve' %}", Next: "ChargePayment" }],
        Default: "Compensate",
      },
      ChargePayment: {
        Type: "Pass",
        Output: "{% {'charged': true, 'approval': $states.input} %}",
        End: true,
      },
      Compensate: {
        Type: "Pass",
        Output: "{% {'compensated': true, 'reason': $states.input} %}",
        End: true,
      },
    },
  };
}

export interface World {
  clock: VirtualClock;
  runtime: SfnRuntime;
  sfnServer: SfnServer;
  api: RunningApi;
  sfn: SFNClient;
  log: ReturnType<typeof captureLog>;
  /** Task tokens the runtime handed to the approval task (for leak scans). */
  tokens: string[];
  /** SendTaskSuccess calls that reached the wire. */
  successCalls: () => number;
  machineArn: string;
  /** Starts an execution; named after `input.orderId` when there is one (the order saga requires it). */
  start(input: object): Promise<string>;
  status(
    executionArn: string,
  ): Promise<{ status?: string; output?: unknown; error?: string; cause?: string }>;
  close(): Promise<void>;
}

export interface WorldOptions {
  timeoutSeconds?: number;
  /** A state machine definition instead of `approvalMachine` (e.g. the order saga). */
  definition?: object | string;
  /** Other Lambda handlers the definition invokes, by function name. */
  functions?: FunctionMap;
  /** Approval settings (approvers, thresholds); the approvals service reads these. */
  settings?: ApprovalSettings;
}

export async function world(opts: WorldOptions = {}): Promise<World> {
  const clock = new VirtualClock(Date.UTC(2030, 0, 1, 9));
  const tokens: string[] = [];
  let successes = 0;
  const runtime = createRuntime({
    clock,
    functions: opts.functions ?? {},
    accountId: "000000000000",
  });
  const wire = await serveOverWire(runtime);
  const { server: sfnServer, sfn: client } = wire;
  // Counts task callbacks on their way to the wire; everything else passes through unchanged.
  const counting = {
    send: (command: unknown, ...rest: unknown[]) => {
      if (command instanceof SendTaskSuccessCommand) successes++;
      return (client.send as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
    },
  } as unknown as SFNClient;
  const log = captureLog();
  let apiUrl: string | undefined;
  const machineName = unique("approval-saga");
  const created = await client.send(
    new CreateStateMachineCommand({
      name: machineName,
      definition:
        typeof opts.definition === "string"
          ? opts.definition
          : JSON.stringify(opts.definition ?? approvalMachine(opts.timeoutSeconds)),
      roleArn: "arn:aws:iam::123456789012:role/test",
    }),
  );
  const machineArn = created.stateMachineArn as string;
  const api = await serveApi(
    testDeps({
      clock: () => new Date(clock.now()),
      sfn: counting,
      log,
      baseUrl: () => apiUrl,
      stateMachineArn: machineArn,
      settings: { approvalTimeoutSeconds: opts.timeoutSeconds ?? 3600, ...opts.settings },
    }),
  );
  apiUrl = api.url;
  runtime.registerFunction("RequestApproval", async (event: unknown) => {
    tokens.push(String((event as { taskToken?: string }).taskToken));
    return api.approvals.request(event);
  });
  return {
    clock,
    runtime,
    sfnServer,
    api,
    sfn: client,
    log,
    tokens,
    successCalls: () => successes,
    machineArn,
    async start(input) {
      const out = await client.send(
        new StartExecutionCommand({
          stateMachineArn: machineArn,
          name: (input as { orderId?: string }).orderId ?? unique("exec"),
          input: JSON.stringify(input),
        }),
      );
      await runtime.idle();
      return out.executionArn as string;
    },
    async status(executionArn) {
      await runtime.idle();
      const d = await client.send(new DescribeExecutionCommand({ executionArn }));
      return {
        status: d.status,
        output: d.output ? JSON.parse(d.output) : undefined,
        error: d.error,
        cause: d.cause,
      };
    },
    async close() {
      await api.close();
      await wire.close();
    },
  };
}
