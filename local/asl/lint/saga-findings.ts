/**
 * Collects the saga rules' findings while `saga-flow.ts` walks every path, merging those at the
 * same place (many paths reach one Catch), and words them: which steps stay done and what would
 * undo each.
 */
import type { Diagnostic } from "../types.ts";
import type { Role } from "./roles.ts";

export type SagaCode =
  | "CATCH_WITHOUT_COMPENSATION"
  | "UNCOMPENSATED_FAILURE"
  | "COMPENSATION_ORDER";

interface Pending {
  code: SagaCode;
  location: string;
  /** The sentence before the list of steps. */
  lead: string;
  steps: Set<string>;
  /** Said once after the list. */
  advice: string;
}

export class SagaFindings {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly roles: Map<string, Role>) {}

  add(code: SagaCode, location: string, lead: string, steps: string[], advice: string): void {
    const key = `${code} ${location} ${code === "COMPENSATION_ORDER" ? lead : ""}`;
    const p = this.pending.get(key);
    if (p) for (const s of steps) p.steps.add(s);
    else this.pending.set(key, { code, location, lead, steps: new Set(steps), advice });
  }

  /** `ChargePayment (undone by RefundPayment)`, or why nothing can undo it. */
  describe(step: string): string {
    const role = this.roles.get(step);
    if (role?.kind === "undoable") return `${step} (undone by ${role.compensation})`;
    if (role?.kind === "irreversible") {
      if (role.undoVerbs.length === 0) return `${step} (marked irreversible)`;
      const names = role.undoVerbs.map((v) => `${v[0]?.toUpperCase()}${v.slice(1)}*`);
      return `${step} (which nothing undoes: no state named ${orList(names)}; name one so, or map one with lint:compensates=${step})`;
    }
    return step;
  }

  diagnostics(): Diagnostic[] {
    return [...this.pending.values()].map((p) => ({
      severity: "ERROR",
      code: p.code,
      location: p.location,
      message: `${p.lead} ${andList([...p.steps].map((s) => this.describe(s)))} ${p.advice}`.trim(),
    }));
  }
}

export function andList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function orList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
