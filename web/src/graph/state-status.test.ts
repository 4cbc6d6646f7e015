import { describe, expect, it } from "vitest";
import { deriveExecutionPath, statusOf, wasTaken } from "./state-status.ts";
import { approvedHistory, declinedHistory, HistoryWriter } from "./test-fixtures.ts";

describe("deriveExecutionPath", () => {
  it("marks the whole approved path succeeded and the compensations not reached", () => {
    const path = deriveExecutionPath(approvedHistory());

    for (const name of [
      "ValidateOrder",
      "ReserveStock",
      "ReserveLine",
      "RequestApproval",
      "ChargePayment",
      "Fulfil",
      "ShipOrder",
      "Done",
    ]) {
      expect(statusOf(path, name), name).toBe("succeeded");
    }
    expect(statusOf(path, "RefundPayment")).toBe("not-reached");
    expect(path.states.get("ReserveLine")?.visits).toBe(2);
    expect(path.finished).toBe("SUCCEEDED");
    expect(path.transitions).toContain("__start__->ValidateOrder");
    expect(path.transitions).toContain("Done->__end__");
    expect(path.transitions).toContain("Fulfil->Done");
    expect(wasTaken(path, "__start__", "ValidateOrder", "start")).toBe(true);
    expect(wasTaken(path, "Done", "__end__", "end")).toBe(true);
    expect(wasTaken(path, "ValidateOrder", "MarkOrderFailed", "catch")).toBe(false);
  });

  it("shows a task waiting on its callback while the approval is pending", () => {
    const h = new HistoryWriter();
    h.add("ExecutionStarted", { input: "{}" });
    h.task("ValidateOrder", {}, {}).reserve(1).state("Choice", "NeedsApproval").requestApproval();

    const path = deriveExecutionPath(h.events);

    expect(statusOf(path, "RequestApproval")).toBe("waiting");
    expect(statusOf(path, "ChargePayment")).toBe("not-reached");
    expect(path.finished).toBeUndefined();
  });

  it("treats a started callback task as waiting even without TaskSubmitted", () => {
    const h = new HistoryWriter();
    h.add("ExecutionStarted", { input: "{}" });
    h.add("TaskStateEntered", { name: "RequestApproval", input: "{}" });
    h.add("TaskScheduled", { resourceType: "lambda", resource: "invoke.waitForTaskToken" });
    h.add("TaskStarted", { resourceType: "lambda", resource: "invoke.waitForTaskToken" });

    expect(statusOf(deriveExecutionPath(h.events), "RequestApproval")).toBe("waiting");
  });

  it("shows a state that is still working as running", () => {
    const h = new HistoryWriter();
    h.add("ExecutionStarted", { input: "{}" });
    h.add("TaskStateEntered", { name: "ValidateOrder", input: "{}" });
    h.add("TaskScheduled", { resource: "invoke" });

    expect(statusOf(deriveExecutionPath(h.events), "ValidateOrder")).toBe("running");
  });

  it("marks a failure that a Catch handled as caught, and the compensation path as taken", () => {
    const path = deriveExecutionPath(declinedHistory());

    expect(statusOf(path, "ChargePayment")).toBe("caught");
    expect(path.states.get("ChargePayment")?.error).toBe("PaymentDeclined");
    expect(statusOf(path, "ReleaseStock")).toBe("succeeded");
    expect(statusOf(path, "OrderFailed")).toBe("failed");
    expect(path.caughtTransitions).toEqual(new Set(["ChargePayment->ReleaseStock"]));
    expect(wasTaken(path, "ChargePayment", "ReleaseStock", "catch")).toBe(true);
    expect(wasTaken(path, "ChargePayment", "ReleaseStock", "next")).toBe(false);
    expect(path.transitions).not.toContain("OrderFailed->__end__");
  });

  it("marks an uncaught task failure as failed", () => {
    const h = new HistoryWriter();
    h.add("ExecutionStarted", { input: "{}" });
    h.task("ValidateOrder", {}, {}, { error: "States.TaskFailed", cause: "boom" });
    h.add("ExecutionFailed", { error: "States.TaskFailed", cause: "boom" });

    const run = deriveExecutionPath(h.events).states.get("ValidateOrder");

    expect(run?.status).toBe("failed");
    expect(run?.cause).toBe("boom");
  });

  it("counts a retried task that then succeeds as succeeded with one retry", () => {
    const h = new HistoryWriter();
    h.add("ExecutionStarted", { input: "{}" });
    h.add("TaskStateEntered", { name: "ChargePayment", input: "{}" });
    h.add("TaskScheduled", { resource: "invoke" });
    h.add("TaskFailed", { error: "PaymentUnavailable", cause: "try later" });
    h.add("TaskScheduled", { resource: "invoke" });
    h.add("TaskSucceeded", { output: '{"charged":true}' });
    h.add("TaskStateExited", { name: "ChargePayment", output: '{"charged":true}' });

    const run = deriveExecutionPath(h.events).states.get("ChargePayment");

    expect(run?.status).toBe("succeeded");
    expect(run?.retries).toBe(1);
    expect(run?.output).toBe('{"charged":true}');
  });

  it("attributes interleaved Map iterations through previousEventId", () => {
    const h = new HistoryWriter();
    h.add("ExecutionStarted", { input: "{}" });
    h.add("MapStateEntered", { name: "ReserveStock", input: "{}" });
    const started = h.add("MapStateStarted", { length: 2 });
    const a = h.add("TaskStateEntered", { name: "ReserveLine", input: '{"i":0}' }, started);
    const b = h.add("TaskStateEntered", { name: "ReserveLine", input: '{"i":1}' }, started);
    h.add("TaskScheduled", { resource: "invoke" }, a);
    const bScheduled = h.add("TaskScheduled", { resource: "invoke" }, b);
    const bFailed = h.add("TaskFailed", { error: "OutOfStock", cause: "sku-2" }, bScheduled);
    h.add("MapIterationFailed", { name: "ReserveStock", index: 1 }, bFailed);
    h.add("MapStateFailed", {});
    h.add("MapStateExited", { name: "ReserveStock", output: "{}" });
    h.task("ReleaseStock", {}, {});

    const path = deriveExecutionPath(h.events);

    expect(path.states.get("ReserveLine")?.counts).toEqual({ failed: 1, running: 1 });
    expect(statusOf(path, "ReserveLine")).toBe("failed");
    expect(statusOf(path, "ReserveStock")).toBe("caught");
    expect(path.caughtTransitions).toContain("ReserveStock->ReleaseStock");
  });
});
