/**
 * The order saga on the durable local runtime (local/sfn) with a virtual clock: the real ASL file,
 * the real handlers in-process, DynamoDB from the environment (DynamoDB Local in the integration
 * tests). RequestApproval is a recorder here — the test answers its task token through the
 * runtime's SendTaskSuccess, as the approval API would.
 */
import { sagaHandlers as handlers } from "../../functions/orders/handlers.ts";
import { loadSagaDefinition, type SagaFunction } from "../../functions/orders/saga-definition.ts";
import type { HistoryEvent } from "../../local/asl/types.ts";
import {
  createRuntime,
  type Handler,
  type SfnRuntime,
  VirtualClock,
} from "../../local/sfn/index.ts";

/** The saga's own handlers (all but RequestApproval, which belongs to the approval API). */
export const sagaHandlers = handlers as unknown as Record<
  Exclude<SagaFunction, "RequestApproval">,
  Handler
>;

export interface ApprovalRequest {
  taskToken: string;
  orderId: string;
  total: number;
  timeoutSeconds: number;
  [field: string]: unknown;
}

export interface SagaHarness {
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
  const clock = new VirtualClock(Date.UTC(2025, 0, 1));
  const approvals = new Map<string, ApprovalRequest>();
  const requestApproval: Handler = async (event) => {
    const request = event as ApprovalRequest;
    approvals.set(request.orderId, request);
    return { approvalId: `appr-${request.orderId}` };
  };
  const runtime = createRuntime({
    clock,
    accountId: "000000000000",
    functions: { ...sagaHandlers, RequestApproval: requestApproval },
  });
  const { stateMachineArn } = runtime.createStateMachine({
    name: "order-saga",
    definition: loadSagaDefinition(),
    roleArn: "arn:aws:iam::000000000000:role/order-saga",
  });
  return {
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
    close: () => runtime.close(),
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
