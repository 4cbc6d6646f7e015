import { describe, expect, it } from "vitest";
import { buildPolicy, type LintOptions } from "./policy.ts";
import { assignRoles, splitName } from "./roles.ts";
import { indexDefinition } from "./walk.ts";

const task = { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true };

function roles(names: string[], options?: LintOptions, extra: Record<string, object> = {}) {
  const States = Object.fromEntries(names.map((n) => [n, { ...task, ...extra[n] }]));
  const index = indexDefinition({ StartAt: names[0], States });
  return Object.fromEntries(assignRoles(index, buildPolicy(index, options)));
}

describe("compensation pairs by name", () => {
  it("splits PascalCase, kebab, snake and spaced names into a verb and the rest", () => {
    expect(splitName("ReserveStock")).toEqual({ verb: "reserve", rest: "stock" });
    expect(splitName("reserve-stock")).toEqual({ verb: "reserve", rest: "stock" });
    expect(splitName("RESERVE_STOCK")).toEqual({ verb: "reserve", rest: "stock" });
    expect(splitName("Charge the card")).toEqual({ verb: "charge", rest: "thecard" });
  });

  it("pairs Reserve*/Release*, Charge*/Refund*, Ship*/Cancel* with the same rest", () => {
    const r = roles([
      "ReserveStock",
      "ChargePayment",
      "ShipOrder",
      "CancelOrder",
      "RefundPayment",
      "ReleaseStock",
    ]);
    expect(r.ReserveStock).toEqual({ kind: "undoable", compensation: "ReleaseStock" });
    expect(r.ChargePayment).toEqual({ kind: "undoable", compensation: "RefundPayment" });
    expect(r.ShipOrder).toEqual({ kind: "undoable", compensation: "CancelOrder" });
    expect(r.RefundPayment).toEqual({ kind: "compensation", undoes: ["ChargePayment"] });
  });

  it("falls back to the only state with an undo verb when no rest matches", () => {
    const r = roles(["ReserveLine", "ReleaseEverything"]);
    expect(r.ReserveLine).toEqual({ kind: "undoable", compensation: "ReleaseEverything" });
  });

  it("does not guess between two candidates, nor steal one another step matched exactly", () => {
    expect(roles(["ReserveLine", "ReleaseA", "ReleaseB"]).ReserveLine?.kind).toBe("irreversible");
    const r = roles(["BookFlight", "ShipBox", "CancelFlight"]);
    expect(r.BookFlight).toEqual({ kind: "undoable", compensation: "CancelFlight" });
    expect(r.ShipBox).toEqual({ kind: "irreversible", undoVerbs: ["cancel", "return", "recall"] });
  });

  it("a do-verb step with no compensation in the definition is irreversible; others are plain", () => {
    const r = roles(["ChargeCard", "NotifyCustomer", "ValidateOrder"]);
    expect(r.ChargeCard).toEqual({
      kind: "irreversible",
      undoVerbs: ["refund", "void", "reverse"],
    });
    expect(r.NotifyCustomer).toEqual({ kind: "plain" });
    expect(r.ValidateOrder).toEqual({ kind: "plain" });
  });

  it("explicit pairs win, from the options or a lint:compensates= comment", () => {
    const r = roles(["TakeMoney", "GiveMoneyBack", "Hold", "Unhold"], {
      compensations: { TakeMoney: "GiveMoneyBack" },
    });
    expect(r.TakeMoney).toEqual({ kind: "undoable", compensation: "GiveMoneyBack" });
    const c = roles(["Hold", "Unhold"], undefined, {
      Unhold: { Comment: "Puts it back. lint:compensates=Hold" },
    });
    expect(c.Hold).toEqual({ kind: "undoable", compensation: "Unhold" });
    expect(c.Unhold).toEqual({ kind: "compensation", undoes: ["Hold"] });
  });

  it("marks a step irreversible by option or lint:irreversible, and read-only ones are left out", () => {
    const r = roles(
      ["Dispatch", "ReserveStock", "ReleaseStock"],
      { irreversible: ["Dispatch"] },
      {
        ReserveStock: { Comment: "lint:read-only" },
      },
    );
    expect(r.Dispatch).toEqual({ kind: "irreversible", undoVerbs: [] });
    expect(r.ReserveStock).toEqual({ kind: "read-only" });
  });
});
