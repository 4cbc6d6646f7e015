import { describe, expect, it } from "vitest";
import { type LintOptions, lintDefinition } from "./index.ts";

/** A Lambda task: `Next` (or End when absent), and a States.ALL Catch to `onError`. */
function t(next?: string, onError?: string, extra: Record<string, unknown> = {}) {
  return {
    Type: "Task",
    Resource: "arn:aws:states:::lambda:invoke",
    ...(next ? { Next: next } : { End: true }),
    ...(onError ? { Catch: [{ ErrorEquals: ["States.ALL"], Next: onError }] } : {}),
    ...extra,
  };
}
const fail = { Type: "Fail", Error: "OrderFailed" };
const done = { Type: "Succeed" };

function lint(States: Record<string, unknown>, options?: LintOptions) {
  const [StartAt] = Object.keys(States);
  return lintDefinition({ StartAt, States }, options).map((d) => [d.code, d.location]);
}

/** Reserve → Charge → Ship, compensated Refund → Release → Failed. */
const saga = () => ({
  Reserve: t("Charge", "Release"),
  Charge: t("Ship", "Refund"),
  Ship: t("Done", "Refund"),
  Done: done,
  Refund: t("Release", "Failed"),
  Release: t("Failed", "Failed"),
  Failed: fail,
});

describe("saga rules", () => {
  it("a saga compensating in reverse on every failure is clean", () => {
    expect(lint(saga())).toEqual([]);
  });

  it("CATCH_WITHOUT_COMPENSATION: a Catch that skips a compensation", () => {
    const s = { ...saga(), Ship: t("Done", "Release") };
    expect(lint(s)).toContainEqual(["CATCH_WITHOUT_COMPENSATION", "/States/Ship/Catch/0"]);
  });

  it("the message names the step left done and what undoes it", () => {
    const s = { ...saga(), Ship: t("Done", "Failed") };
    const [d] = lintDefinition({ StartAt: "Reserve", States: s });
    expect(d?.message).toBe(
      "The Catch of 'Ship' (Next: Failed) can reach 'Failed' without undoing Reserve (undone by Release) and Charge (undone by Refund) — run their compensations on this path, latest step first.",
    );
  });

  it("CATCH_WITHOUT_COMPENSATION: a Catch of a transactional step that swallows the error", () => {
    const s = { ...saga(), Charge: t("Ship", "Done") };
    expect(lint(s)).toEqual([["CATCH_WITHOUT_COMPENSATION", "/States/Charge/Catch/0"]]);
  });

  it("a plain step's Catch may go on to success (a failed notification is tolerated)", () => {
    const s = { ...saga(), Ship: t("Notify", "Refund"), Notify: t(undefined, "Done") };
    expect(lint(s)).toEqual([]);
  });

  it("a plain step's Catch to a Fail state must still compensate", () => {
    const s = { ...saga(), Charge: t("Ask", "Refund"), Ask: t("Ship", "Failed") };
    expect(lint(s)).toEqual([["CATCH_WITHOUT_COMPENSATION", "/States/Ask/Catch/0"]]);
  });

  it("COMPENSATION_ORDER: compensations run oldest first", () => {
    const s = {
      ...saga(),
      Charge: t("Ship", "Release"),
      Ship: t("Done", "Release"),
      Release: t("Refund", "Failed"),
      Refund: t("Failed", "Failed"),
    };
    const found = lintDefinition({ StartAt: "Reserve", States: s });
    expect(found.map((d) => [d.code, d.location])).toEqual([
      ["COMPENSATION_ORDER", "/States/Release"],
    ]);
    expect(found[0]?.message).toContain("'Release' undoes Reserve while a step that ran after it");
    expect(found[0]?.message).toContain("('Refund' before 'Release')");
  });

  it("UNCOMPENSATED_FAILURE: a step with no Catch after a step that needs undoing", () => {
    const s = { ...saga(), Ship: t("Done") };
    expect(lint(s)).toEqual([["UNCOMPENSATED_FAILURE", "/States/Ship"]]);
  });

  it("no Catch on the first step is only the TASK_WITHOUT_CATCH warning: nothing to undo yet", () => {
    const s = { ...saga(), Reserve: t("Charge") };
    expect(lint(s)).toEqual([["TASK_WITHOUT_CATCH", "/States/Reserve"]]);
  });

  it("UNCOMPENSATED_FAILURE: a Choice branch to a Fail state with steps done", () => {
    const s = {
      ...saga(),
      Charge: t("Decide", "Refund"),
      Decide: {
        Type: "Choice",
        Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Ship" }],
        Default: "Failed",
      },
    };
    expect(lint(s)).toEqual([["UNCOMPENSATED_FAILURE", "/States/Failed"]]);
  });

  it("a rejected branch that compensates first is clean", () => {
    const s = {
      ...saga(),
      Charge: t("Decide", "Refund"),
      Decide: {
        Type: "Choice",
        Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Ship" }],
        Default: "Refund",
      },
    };
    expect(lint(s)).toEqual([]);
  });

  it("a removed compensation: the step is irreversible, and a rollback after it is flagged", () => {
    const { Refund: _, ...rest } = saga();
    const s = { ...rest, Charge: t("Ship", "Release"), Ship: t("Done", "Release") };
    const found = lintDefinition({ StartAt: "Reserve", States: s });
    expect(found.map((d) => [d.code, d.location])).toEqual([
      ["CATCH_WITHOUT_COMPENSATION", "/States/Ship/Catch/0"],
    ]);
    expect(found[0]?.message).toContain(
      "Charge (which nothing undoes: no state named Refund*, Void* or Reverse*",
    );
  });

  it("after the pivot (an irreversible step) the saga only goes forward", () => {
    const s = {
      Reserve: t("Charge", "Release"),
      Charge: t("Dispatch", "Refund"),
      Dispatch: t("Notify", "Refund", { Comment: "lint:irreversible" }),
      Notify: t("Done"),
      Done: done,
      Refund: t("Release", "Failed"),
      Release: t("Failed", "Failed"),
      Failed: fail,
    };
    // Notify has no Catch: failing after the goods left is not a reason to refund.
    expect(lint(s)).toEqual([["TASK_WITHOUT_CATCH", "/States/Notify"]]);
  });

  it("a failing compensation ends the checks on its path (it needs a Catch, that is all)", () => {
    const s = { ...saga(), Refund: t("Release") };
    expect(lint(s)).toEqual([["TASK_WITHOUT_CATCH", "/States/Refund"]]);
  });

  it("a retry loop through a parking state terminates and stays clean", () => {
    const s = {
      ...saga(),
      Refund: t("Release", "Park"),
      Release: t("Failed", "Park"),
      Park: t("Refund", "Failed", { TimeoutSeconds: 60 }),
    };
    expect(lint(s)).toEqual([]);
  });

  it("a Map of reservations counts as its steps: its Catch must undo what it may have done", () => {
    const map = (onError: string) => ({
      Type: "Map",
      ItemProcessor: { StartAt: "ReserveLine", States: { ReserveLine: t() } },
      Catch: [{ ErrorEquals: ["States.ALL"], Next: onError }],
      Next: "Charge",
    });
    const { Release: _, ...rest } = saga();
    const s = {
      ...rest,
      Reserve: map("ReleaseLines"),
      Refund: t("ReleaseLines", "Failed"),
      ReleaseLines: t("Failed", "Failed"),
    };
    expect(lint(s)).toEqual([]);
    expect(lint({ ...s, Reserve: map("Failed") })).toEqual([
      ["CATCH_WITHOUT_COMPENSATION", "/States/Reserve/Catch/0"],
    ]);
  });

  it("a Parallel of compensations undoes what its branches undo", () => {
    const { Refund: _r, Release: _l, ...rest } = saga();
    const undo = (branches: string[]) => ({
      Type: "Parallel",
      Branches: branches.map((name) => ({ StartAt: name, States: { [name]: t() } })),
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }],
      Next: "Failed",
    });
    const s = {
      ...rest,
      Reserve: t("Charge", "Undo"),
      Charge: t("Ship", "Undo"),
      Ship: t("Done", "Undo"),
      Undo: undo(["Refund", "Release"]),
    };
    expect(lint(s)).toEqual([]);
    const partial = { ...s, Undo: undo(["Release", "LogUndo"]) };
    expect(lint(partial)).toContainEqual(["CATCH_WITHOUT_COMPENSATION", "/States/Ship/Catch/0"]);
  });

  it("an explicit mapping pairs names the convention cannot", () => {
    const s = {
      TakeMoney: t("Send", "GiveBack"),
      Send: t("Done", "GiveBack"),
      Done: done,
      GiveBack: t("Failed", "Failed"),
      Failed: fail,
    };
    expect(
      lint({ ...s, Send: t("Done", "Failed") }, { compensations: { TakeMoney: "GiveBack" } }),
    ).toEqual([["CATCH_WITHOUT_COMPENSATION", "/States/Send/Catch/0"]]);
    expect(lint(s, { compensations: { TakeMoney: "GiveBack" } })).toEqual([]);
  });

  it("lint:ignore= and the ignore option set findings apart", () => {
    const s = {
      ...saga(),
      Ship: t("Done", "Failed", { Comment: "lint:ignore=CATCH_WITHOUT_COMPENSATION" }),
    };
    expect(lint(s)).toEqual([]);
    expect(lint({ ...saga(), Ship: t("Done", "Failed") }, { ignore: { Ship: ["*"] } })).toEqual([]);
  });
});
