/**
 * The part each state plays in a saga. ASL has no notion of compensation, so it is inferred from
 * names — a step whose name starts with a "do" verb (ReserveStock, ChargePayment) is undone by a
 * state whose name starts with one of that verb's "undo" verbs and has the same rest
 * (ReleaseStock, RefundPayment), or by the only such state when no rest matches — and taken from
 * the user where names do not tell (`LintOptions.compensations`, `lint:compensates=`).
 *
 * - read-only: changes nothing; needs no Catch and no compensation.
 * - plain: may change something of no known kind (a notification, bookkeeping): needs a Catch,
 *   is not undone.
 * - undoable: a step with a compensation state in the definition.
 * - irreversible: a step named like one that needs undoing whose compensation does not exist, or
 *   one marked `lint:irreversible`: once it has succeeded, the saga is committed (its pivot).
 * - compensation: undoes one or more steps.
 */
import type { Policy } from "./policy.ts";
import { readOnlyByResource } from "./resources.ts";
import type { DefinitionIndex, StateRef } from "./walk.ts";

export type Role =
  | { kind: "none" }
  | { kind: "read-only" }
  | { kind: "plain" }
  | { kind: "undoable"; compensation: string }
  | { kind: "irreversible"; undoVerbs: string[] }
  | { kind: "compensation"; undoes: string[] };

/** "Do" verb → the verbs of the states that undo it (lower case). */
export const UNDO_VERBS: Readonly<Record<string, readonly string[]>> = {
  reserve: ["release", "unreserve", "cancel"],
  charge: ["refund", "void", "reverse"],
  debit: ["credit", "refund", "reverse"],
  ship: ["cancel", "return", "recall"],
  book: ["cancel", "unbook"],
  allocate: ["deallocate", "release"],
  hold: ["release"],
  lock: ["unlock", "release"],
  authorize: ["void", "release", "cancel"],
  authorise: ["void", "release", "cancel"],
  create: ["delete", "cancel", "remove"],
  provision: ["deprovision", "decommission"],
  register: ["deregister", "unregister"],
  subscribe: ["unsubscribe"],
  withdraw: ["deposit"],
  transfer: ["reverse"],
};

const ALL_UNDO = new Set(Object.values(UNDO_VERBS).flat());

/** `ReserveStock`, `reserve-stock`, `RESERVE_STOCK` → verb `reserve`, rest `stock`. */
export function splitName(name: string): { verb: string; rest: string } {
  const words = name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [];
  return {
    verb: (words[0] ?? "").toLowerCase(),
    rest: words
      .slice(1)
      .map((w) => w.toLowerCase())
      .join(""),
  };
}

const CAN_COMPENSATE = new Set(["Task", "Map", "Parallel"]);

export function assignRoles(index: DefinitionIndex, policy: Policy): Map<string, Role> {
  const roles = new Map<string, Role>();
  for (const ref of index.states) {
    if (ref.type !== "Task") roles.set(ref.name, { kind: "none" });
    else if (policy.isReadOnly(ref) || readOnlyByResource(ref)) {
      roles.set(ref.name, { kind: "read-only" });
    } else roles.set(ref.name, { kind: "plain" });
  }
  const undoes = new Map<string, string[]>();
  const pair = (step: string, comp: string) => {
    roles.set(step, { kind: "undoable", compensation: comp });
    undoes.set(comp, [...(undoes.get(comp) ?? []), step]);
  };
  // Explicit pairs first, for any state type: the user knows best.
  for (const [step, comp] of policy.compensations) {
    if (index.byName.has(step) && index.byName.has(comp)) pair(step, comp);
  }
  const explicitComps = new Set(undoes.keys());
  const doSteps = index.states.filter(
    (r) =>
      roles.get(r.name)?.kind === "plain" &&
      !explicitComps.has(r.name) &&
      UNDO_VERBS[splitName(r.name).verb] !== undefined,
  );
  const candidates = index.states.filter(
    (r) =>
      CAN_COMPENSATE.has(r.type) &&
      roles.get(r.name)?.kind !== "read-only" &&
      roles.get(r.name)?.kind !== "undoable" &&
      ALL_UNDO.has(splitName(r.name).verb) &&
      !doSteps.includes(r),
  );
  const unpaired: StateRef[] = [];
  const used = new Set<string>();
  for (const step of doSteps) {
    if (policy.irreversible.has(step.name)) continue;
    const { verb, rest } = splitName(step.name);
    const verbs = UNDO_VERBS[verb] ?? [];
    const exact = candidates.find((c) => {
      const s = splitName(c.name);
      return s.rest === rest && verbs.includes(s.verb);
    });
    if (exact) {
      pair(step.name, exact.name);
      used.add(exact.name);
    } else unpaired.push(step);
  }
  // No exact rest (ReserveLine ↔ ReleaseStock): the only unused state with an undo verb.
  for (const step of unpaired) {
    const verbs = UNDO_VERBS[splitName(step.name).verb] ?? [];
    const options = candidates.filter(
      (c) => !used.has(c.name) && verbs.includes(splitName(c.name).verb),
    );
    if (options.length === 1 && options[0]) pair(step.name, options[0].name);
  }
  for (const [comp, steps] of undoes) roles.set(comp, { kind: "compensation", undoes: steps });
  for (const step of doSteps) {
    if (roles.get(step.name)?.kind === "plain") {
      roles.set(step.name, {
        kind: "irreversible",
        undoVerbs: [...(UNDO_VERBS[splitName(step.name).verb] ?? [])],
      });
    }
  }
  for (const name of policy.irreversible) {
    if (index.byName.has(name)) roles.set(name, { kind: "irreversible", undoVerbs: [] });
  }
  return roles;
}
