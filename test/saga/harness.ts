/**
 * The order saga on the durable local runtime (local/sfn) with a virtual clock: the real ASL file,
 * the real handlers in-process, DynamoDB from the environment (DynamoDB Local in the integration
 * tests). RequestApproval is a recorder here — the test answers its task token through the
 * runtime's SendTaskSuccess, as the approval API would.
 */

import { createTestEnvironment, type TestEnvironment } from "countersign/testing";
import type { HistoryEvent } from "../../local/asl/types.ts";
import {
  type LocalWiring,
  loadFunctions,
  localArns,
  localDefinition,
  stateMachineTasks,
} from "../../local/platform/functions.ts";
import type { FunctionConfig, Handler, SfnRuntime, VirtualClock } from "../../local/sfn/index.ts";
import type { FunctionName } from "../../stacks/topology.ts";

/** The approval settings the saga tests run with (as the Settings link delivers them). */
export const TEST_SETTINGS = {
  approvalThreshold: 1000,
  approvalTimeoutSeconds: 86_400,
  approvers: [],
};

/**
 * The topology's wiring on the run's emulators (the table and sender test/setup-env.ts or the
 * soak script put in the environment): strict links and IAM, as `npm start` runs them.
 */
export function testWiring(): LocalWiring {
  const table = (JSON.parse(process.env.SST_RESOURCE_Table ?? "{}") as { name?: string }).name;
  const sender =
    (JSON.parse(process.env.SST_RESOURCE_Email ?? "{}") as { sender?: string }).sender ??
    "orders@countersign.local";
  if (!table) throw new Error("SST_RESOURCE_Table is not set: run under test/setup-env.ts");
  return {
    links: { Table: { name: table }, Email: { sender }, Settings: TEST_SETTINGS },
    arns: localArns({ table, sender }),
  };
}

let loaded: Promise<Record<string, Handler>> | undefined;

/**
 * The saga's own handlers (all but RequestApproval, which belongs to the approval API), loaded
 * from the topology and each run as its function (its links only, its policy enforced).
 */
export function sagaTaskHandlers(): Promise<
  Record<Exclude<FunctionName, "RequestApproval">, Handler>
> {
  loaded ??= loadFunctions(
    testWiring(),
    stateMachineTasks().filter((n) => n !== "RequestApproval"),
  ).then((map) =>
    Object.fromEntries(Object.entries(map).map(([n, f]) => [n, (f as FunctionConfig).handler])),
  );
  return loaded as Promise<Record<Exclude<FunctionName, "RequestApproval">, Handler>>;
}

/** The approval request contract (functions/approvals/contract.ts) as the saga sends it. */
export interface ApprovalRequest {
  taskToken: string;
  title: string;
  /** The saga's context: its order id (the approvals know nothing of orders). */
  context: { orderId: string };
  timeoutSeconds: number;
  [field: string]: unknown;
}

export interface SagaHarness {
  env: TestEnvironment;
  runtime: SfnRuntime;
  clock: VirtualClock;
  stateMachineArn: string;
  /** Approval requests received, by order id. */
  approvals: Map<string, ApprovalRequest>;
  /** Starts an order (execution name = order id) and returns its execution ARN. */
  start(order: { orderId: string }): Promise<string>;
  /** Runs until the execution leaves RUNNING or waits for a task token; jumps the clock as needed. */
  settle(executionArn: string, opts?: { untilApproval?: string }): Promise<string>;
  history(executionArn: string): Promise<HistoryEvent[]>;
  close(): Promise<void>;
}

export async function sagaHarness(): Promise<SagaHarness> {
  const approvals = new Map<string, ApprovalRequest>();
  const requestApproval: Handler = async (event) => {
    const request = event as ApprovalRequest;
    approvals.set(request.context.orderId, request);
    return { approvalId: `appr-${request.context.orderId}` };
  };
  // The testing library users get (`countersign/testing`): the same runtime, a virtual clock.
  const env = await createTestEnvironment({
    definition: localDefinition(),
    name: "order-saga",
    startTime: Date.UTC(2025, 0, 1),
    accountId: "000000000000",
    handlers: { ...(await sagaTaskHandlers()), RequestApproval: requestApproval },
  });
  const { runtime, clock, stateMachineArn } = env;
  return {
    env,
    runtime,
    clock,
    stateMachineArn,
    approvals,
    async start(order) {
      const { executionArn } = await runtime.startExecution({
        stateMachineArn,
        name: order.orderId,
        input: JSON.stringify(order),
      });
      return executionArn;
    },
    async settle(executionArn, opts = {}) {
      // Retries back off for seconds; approvals wait for hours. Jump a minute at a time until
      // the execution ends (or the awaited approval request arrives); a day at most.
      for (let minute = 0; minute < 24 * 60; minute++) {
        await runtime.idle();
        const { status } = runtime.describeExecution({ executionArn });
        if (status !== "RUNNING") return status as string;
        if (opts.untilApproval && approvals.has(opts.untilApproval)) return status as string;
        await clock.advance(60_000);
      }
      throw new Error(`Execution ${executionArn} still running after a virtual day`);
    },
    async history(executionArn) {
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = runtime.getExecutionHistory({ executionArn, maxResults: 1000, nextToken });
        events.push(...(page.events as unknown as HistoryEvent[]));
        nextToken = page.nextToken;
      } while (nextToken);
      return events;
    },
    close: () => env.close(),
  };
}

/** The names of the states entered, in order (the path the execution took). */
export function path(history: HistoryEvent[]): string[] {
  return history
    .filter((e) => e.type.endsWith("StateEntered"))
    .map((e) => (e.stateEnteredEventDetails as { name: string }).name);
}

/** State transitions as AWS bills them: one per state entered. */
export function transitions(history: HistoryEvent[]): number {
  return path(history).length;
}
