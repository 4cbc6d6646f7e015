/**
 * Test data for the graph modules: an order saga shaped like the real one (a Map, a callback
 * task, a Choice, a Parallel, compensations behind Catch) and a writer of AWS-shaped history
 * events that links each event to the one before it, as Step Functions does.
 */
import type { HistoryEventLike } from "./state-status.ts";

const fn = (name: string) => ({
  Type: "Task",
  Resource: "arn:aws:states:::lambda:invoke",
  Arguments: { FunctionName: `\${${name}FunctionArn}`, Payload: "{% $states.input %}" },
});

export const sagaDefinition = {
  QueryLanguage: "JSONata",
  StartAt: "ValidateOrder",
  States: {
    ValidateOrder: {
      ...fn("ValidateOrder"),
      Next: "ReserveStock",
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "MarkOrderFailed" }],
    },
    ReserveStock: {
      Type: "Map",
      Items: "{% $states.input.lines %}",
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "ReserveLine",
        States: { ReserveLine: { ...fn("ReserveStock"), End: true } },
      },
      Next: "NeedsApproval",
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "ReleaseStock" }],
    },
    NeedsApproval: {
      Type: "Choice",
      Choices: [{ Condition: "{% $states.input.total > 1000 %}", Next: "RequestApproval" }],
      Default: "ChargePayment",
    },
    RequestApproval: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Arguments: { FunctionName: "${RequestApprovalFunctionArn}" },
      TimeoutSeconds: 86400,
      Next: "Approved",
      Catch: [{ ErrorEquals: ["States.Timeout"], Next: "ReleaseStock" }],
    },
    Approved: {
      Type: "Choice",
      Choices: [{ Condition: "{% $states.input.decision = 'approve' %}", Next: "ChargePayment" }],
      Default: "ReleaseStock",
    },
    ChargePayment: {
      ...fn("ChargePayment"),
      Next: "Fulfil",
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "ReleaseStock" }],
    },
    Fulfil: {
      Type: "Parallel",
      Branches: [
        { StartAt: "ShipOrder", States: { ShipOrder: { ...fn("ShipOrder"), End: true } } },
        {
          StartAt: "NotifyCustomer",
          States: { NotifyCustomer: { ...fn("NotifyCustomer"), End: true } },
        },
      ],
      Next: "Done",
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "RefundPayment" }],
    },
    Done: { Type: "Succeed" },
    RefundPayment: { ...fn("RefundPayment"), Next: "ReleaseStock" },
    ReleaseStock: { ...fn("ReleaseStock"), Next: "MarkOrderFailed" },
    MarkOrderFailed: { ...fn("MarkOrderFailed"), Next: "OrderFailed" },
    OrderFailed: { Type: "Fail", Error: "OrderFailed", Cause: "The order could not be completed" },
  },
};

/** Appends AWS-shaped events; `link` picks the previousEventId (default: the last event). */
export class HistoryWriter {
  readonly events: HistoryEventLike[] = [];
  private clock: number;

  constructor(start = Date.UTC(2026, 10, 26, 12, 0, 0)) {
    this.clock = start;
  }

  add(type: string, details?: Record<string, unknown>, link?: number): number {
    const id = this.events.length + 1;
    const key = /StateEntered$/.test(type)
      ? "stateEnteredEventDetails"
      : /StateExited$/.test(type)
        ? "stateExitedEventDetails"
        : `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
    this.clock += 250;
    this.events.push({
      id,
      previousEventId: link ?? id - 1,
      timestamp: new Date(this.clock).toISOString(),
      type,
      ...(details ? { [key]: details } : {}),
    });
    return id;
  }

  /** A Lambda task state from entry to exit; `fail` makes the task fail instead. */
  task(
    name: string,
    input: unknown,
    output: unknown,
    fail?: { error: string; cause: string },
  ): this {
    this.add("TaskStateEntered", { name, input: JSON.stringify(input) });
    this.add("TaskScheduled", { resourceType: "lambda", resource: "invoke", parameters: "{}" });
    this.add("TaskStarted", { resourceType: "lambda", resource: "invoke" });
    if (fail) {
      this.add("TaskFailed", { resourceType: "lambda", resource: "invoke", ...fail });
      return this;
    }
    this.add("TaskSucceeded", {
      resourceType: "lambda",
      resource: "invoke",
      output: JSON.stringify(output),
    });
    this.add("TaskStateExited", { name, output: JSON.stringify(output) });
    return this;
  }

  state(kind: string, name: string, data: unknown = {}): this {
    this.add(`${kind}StateEntered`, { name, input: JSON.stringify(data) });
    if (kind !== "Fail") this.add(`${kind}StateExited`, { name, output: JSON.stringify(data) });
    return this;
  }

  reserve(lines: number): this {
    this.add("MapStateEntered", { name: "ReserveStock", input: "{}" });
    this.add("MapStateStarted", { length: lines });
    for (let index = 0; index < lines; index++) {
      this.add("MapIterationStarted", { name: "ReserveStock", index });
      this.task("ReserveLine", { index }, { reserved: true });
      this.add("MapIterationSucceeded", { name: "ReserveStock", index });
    }
    this.add("MapStateSucceeded");
    this.add("MapStateExited", { name: "ReserveStock", output: "{}" });
    return this;
  }

  /** RequestApproval up to the submitted callback (still waiting). */
  requestApproval(): this {
    this.add("TaskStateEntered", { name: "RequestApproval", input: "{}" });
    this.add("TaskScheduled", { resourceType: "lambda", resource: "invoke.waitForTaskToken" });
    this.add("TaskStarted", { resourceType: "lambda", resource: "invoke.waitForTaskToken" });
    this.add("TaskSubmitted", {
      resourceType: "lambda",
      resource: "invoke.waitForTaskToken",
      output: "{}",
    });
    return this;
  }

  decide(decision: "approve" | "reject"): this {
    const output = JSON.stringify({ decision, by: "ana@example.com", at: "2026-11-26T12:05:00Z" });
    this.add("TaskSucceeded", {
      resourceType: "lambda",
      resource: "invoke.waitForTaskToken",
      output,
    });
    this.add("TaskStateExited", { name: "RequestApproval", output });
    return this;
  }
}

/** Approved and fulfilled: every state on the happy path succeeded. */
export function approvedHistory(): HistoryEventLike[] {
  const h = new HistoryWriter();
  h.add("ExecutionStarted", { input: JSON.stringify({ orderId: "o-1", total: 1250 }) });
  h.task("ValidateOrder", { orderId: "o-1" }, { ok: true }).reserve(2);
  h.state("Choice", "NeedsApproval")
    .requestApproval()
    .decide("approve")
    .state("Choice", "Approved");
  h.task("ChargePayment", {}, { charged: true });
  h.add("ParallelStateEntered", { name: "Fulfil", input: "{}" });
  h.add("ParallelStateStarted");
  h.task("ShipOrder", {}, { shipped: true }).task("NotifyCustomer", {}, { sent: true });
  h.add("ParallelStateSucceeded");
  h.add("ParallelStateExited", { name: "Fulfil", output: "{}" });
  h.state("Succeed", "Done");
  h.add("ExecutionSucceeded", { output: "{}" });
  return h.events;
}

/** The payment declines; the saga catches it and compensates. */
export function declinedHistory(): HistoryEventLike[] {
  const h = new HistoryWriter();
  h.add("ExecutionStarted", { input: "{}" });
  h.task("ValidateOrder", {}, {}).reserve(1).state("Choice", "NeedsApproval");
  h.task("ChargePayment", {}, {}, { error: "PaymentDeclined", cause: "card declined" });
  h.add("TaskStateExited", { name: "ChargePayment", output: "{}" });
  h.task("ReleaseStock", {}, {}).task("MarkOrderFailed", {}, {}).state("Fail", "OrderFailed");
  h.add("ExecutionFailed", { error: "OrderFailed", cause: "The order could not be completed" });
  return h.events;
}
