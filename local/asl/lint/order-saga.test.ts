/**
 * The deployed order saga (`stacks/order-saga.asl.json`) against the lint rules, and the broken
 * sagas the rules exist for: a compensation skipped, removed, or run in the wrong order.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../types.ts";
import { lintReport } from "./index.ts";

const FILE = new URL("../../../stacks/order-saga.asl.json", import.meta.url);
const SIDECAR = new URL("../../../stacks/order-saga.asl.lint.json", import.meta.url);

interface Saga {
  StartAt: string;
  States: Record<string, Record<string, unknown> & { Catch?: { Next: string }[] }>;
}
const saga = (): Saga => JSON.parse(readFileSync(FILE, "utf8"));
const where = (ds: Diagnostic[]) => ds.map((d) => [d.code, d.location]);

describe("lint on the order saga", () => {
  it("finds only the parked-compensation callback, which has no timeout by design", () => {
    const { diagnostics } = lintReport(saga());
    expect(where(diagnostics)).toEqual([
      ["TOKEN_TASK_WITHOUT_TIMEOUT", "/States/ParkCompensation"],
    ]);
  });

  it("is clean with its sidecar config, which accepts that one finding", () => {
    const options = JSON.parse(readFileSync(SIDECAR, "utf8"));
    const report = lintReport(saga(), options);
    expect(report.diagnostics).toEqual([]);
    expect(where(report.suppressed)).toEqual([
      ["TOKEN_TASK_WITHOUT_TIMEOUT", "/States/ParkCompensation"],
    ]);
  });

  it("flags the refund step taken out of ShipOrder's compensation chain", () => {
    const s = saga();
    s.States.ShipOrder!.Catch![0]!.Next = "ReleaseStock";
    const found = lintReport(s).diagnostics.filter((d) => d.code !== "TOKEN_TASK_WITHOUT_TIMEOUT");
    expect(where(found)).toEqual([
      ["COMPENSATION_ORDER", "/States/ReleaseStock"],
      ["CATCH_WITHOUT_COMPENSATION", "/States/ShipOrder/Catch/0"],
    ]);
    expect(found[1]?.message).toContain("without undoing ChargePayment (undone by RefundPayment)");
  });

  it("flags the refund step removed from the saga altogether", () => {
    const s = saga();
    delete s.States.RefundPayment;
    for (const name of ["ChargePayment", "ShipOrder"])
      s.States[name]!.Catch![0]!.Next = "ReleaseStock";
    s.States.ParkCompensation!.Next = "ReleaseStock";
    const found = lintReport(s).diagnostics.filter((d) => d.code !== "TOKEN_TASK_WITHOUT_TIMEOUT");
    expect(where(found)).toEqual([["CATCH_WITHOUT_COMPENSATION", "/States/ShipOrder/Catch/0"]]);
    expect(found[0]?.message).toContain("ChargePayment (which nothing undoes");
  });

  it("flags compensations in the wrong order (release before refund)", () => {
    const s = saga();
    for (const name of ["ChargePayment", "ShipOrder"])
      s.States[name]!.Catch![0]!.Next = "ReleaseStock";
    s.States.ReleaseStock!.Next = "RefundPayment";
    s.States.RefundPayment!.Next = "MarkOrderFailed";
    s.States.ParkCompensation!.Next = "ReleaseStock";
    const found = lintReport(s).diagnostics.filter((d) => d.code !== "TOKEN_TASK_WITHOUT_TIMEOUT");
    expect(where(found)).toEqual([["COMPENSATION_ORDER", "/States/ReleaseStock"]]);
  });

  it("flags the approval callback without its timeout", () => {
    const s = saga();
    delete s.States.RequestApproval!.TimeoutSeconds;
    expect(where(lintReport(s).diagnostics)).toContainEqual([
      "TOKEN_TASK_WITHOUT_TIMEOUT",
      "/States/RequestApproval",
    ]);
  });

  it("flags a rejected approval that fails the order without releasing its stock", () => {
    const s = saga();
    s.States.ApprovalRejected!.Next = "MarkOrderFailed";
    const found = lintReport(s).diagnostics.filter((d) => d.code !== "TOKEN_TASK_WITHOUT_TIMEOUT");
    // Every way on from the rejection ends with the stock still reserved.
    expect(where(found)).toEqual([
      ["CATCH_WITHOUT_COMPENSATION", "/States/MarkOrderFailed/Catch/0"],
      ["CATCH_WITHOUT_COMPENSATION", "/States/NotifyFailure/Catch/0"],
      ["UNCOMPENSATED_FAILURE", "/States/OrderFailed"],
    ]);
    for (const d of found) expect(d.message).toContain("ReserveStock (undone by ReleaseStock)");
  });
});
