/**
 * The saga rules, checked on every path of the state graph (a path-insensitive walk: each Choice
 * branch is possible). Along a path the walk keeps the steps that are done and not yet undone
 * ("outstanding"), in the order they succeeded, and whether the saga has passed its pivot (an
 * irreversible step: from there it only goes forward — the saga pattern's pivot transaction).
 *
 * - CATCH_WITHOUT_COMPENSATION: a Catch whose path ends with a step still done. Accepted without
 *   compensation: after the pivot; or a path to success from the Catch of a plain step (a failed
 *   notification may be tolerated, a failed charge may not). A path that compensates anything is
 *   a rollback and must undo every outstanding step, irreversible ones included.
 * - UNCOMPENSATED_FAILURE: the execution fails with a step still done, before the pivot: an error
 *   no Catch takes (reported at the failing state), or a Fail state reached without a Catch.
 * - COMPENSATION_ORDER: a compensation undoes a step while a later undoable step is still done.
 *
 * A failing compensation ends the checks on its path: nothing can undo a failed undo, and the
 * Catch it should have is TASK_WITHOUT_CATCH's business. Map and Parallel states count as the
 * steps inside them; inside a branch or item processor, failures belong to the enclosing state's
 * Catch, so only ordering and Catch-to-success paths are checked there.
 */
import { catchesEverything } from "./missing-catch.ts";
import type { Role } from "./roles.ts";
import { andList, SagaFindings } from "./saga-findings.ts";
import {
  catchers,
  type DefinitionIndex,
  pointer,
  type Scope,
  type StateRef,
  successors,
} from "./walk.ts";

/** A bound on (state, context) pairs per scope, so a pathological definition cannot hang lint. */
const MAX_VISITS = 50_000;

interface Ctx {
  outstanding: string[];
  recovering: boolean;
  /** The Catch this path follows (the first taken in forward mode). */
  origin?: { ref: StateRef; index: number; next: string; transactional: boolean };
  pivot: boolean;
  compensated: boolean;
  compensationFailed: boolean;
}

interface Effects {
  steps: string[];
  undoes: string[];
  irreversible: boolean;
}

export interface SagaResult {
  diagnostics: ReturnType<SagaFindings["diagnostics"]>;
  /** Scopes whose paths were too many to walk completely. */
  incomplete: string[];
}

export function sagaFlow(index: DefinitionIndex, roles: Map<string, Role>): SagaResult {
  const findings = new SagaFindings(roles);
  const incomplete: string[] = [];
  for (const scope of index.scopes) {
    if (!walkScope(scope, roles, findings)) incomplete.push(scope.at);
  }
  return { diagnostics: findings.diagnostics(), incomplete };
}

/** What a Map or Parallel does to the saga when it succeeds (or partly did, when it fails). */
function effectsOf(ref: StateRef, roles: Map<string, Role>): Effects {
  const out: Effects = { steps: [], undoes: [], irreversible: false };
  const visit = (r: StateRef) => {
    const role = roles.get(r.name);
    if (role?.kind === "undoable") out.steps.push(r.name);
    else if (role?.kind === "irreversible") {
      out.steps.push(r.name);
      out.irreversible = true;
    } else if (role?.kind === "compensation") out.undoes.push(...role.undoes);
    else for (const child of r.children) for (const s of child.states.values()) visit(s);
  };
  for (const child of ref.children) for (const s of child.states.values()) visit(s);
  return out;
}

function walkScope(scope: Scope, roles: Map<string, Role>, findings: SagaFindings): boolean {
  const inner = scope.container !== undefined;
  const seen = new Set<string>();
  const queue: [string, Ctx][] = [];
  const push = (name: string, ctx: Ctx) => {
    const key = [
      name,
      ctx.outstanding.join(","),
      ctx.recovering,
      ctx.origin ? `${ctx.origin.ref.name}#${ctx.origin.index}` : "",
      ctx.pivot,
      ctx.compensated,
      ctx.compensationFailed,
    ].join("|");
    if (!seen.has(key)) {
      seen.add(key);
      queue.push([name, ctx]);
    }
  };
  if (scope.startAt !== undefined) {
    push(scope.startAt, {
      outstanding: [],
      recovering: false,
      pivot: false,
      compensated: false,
      compensationFailed: false,
    });
  }

  const role = (name: string) => roles.get(name) ?? { kind: "none" as const };

  const terminal = (ctx: Ctx, failure: boolean, at: StateRef) => {
    if (ctx.compensationFailed || ctx.outstanding.length === 0) return;
    if (!ctx.recovering) {
      if (inner || (!failure && !ctx.compensated) || (ctx.pivot && !ctx.compensated)) return;
      const lead = failure
        ? `Fail state '${at.name}' ends the execution without undoing`
        : `'${at.name}' ends the execution after a partial rollback, without undoing`;
      findings.add(
        "UNCOMPENSATED_FAILURE",
        at.at,
        lead,
        ctx.outstanding,
        "— run their compensations first, latest step first.",
      );
      return;
    }
    const o = ctx.origin;
    if (!o || (inner && failure)) return;
    if (!ctx.compensated && (ctx.pivot || (!failure && !o.transactional))) return;
    findings.add(
      "CATCH_WITHOUT_COMPENSATION",
      pointer(o.ref.at, "Catch", o.index),
      `The Catch of '${o.ref.name}' (Next: ${o.next}) can reach '${at.name}' without undoing`,
      ctx.outstanding,
      "— run their compensations on this path, latest step first.",
    );
  };

  for (let head = 0; head < queue.length; head++) {
    if (head >= MAX_VISITS) return false;
    const [name, ctx] = queue[head] as [string, Ctx];
    const ref = scope.states.get(name);
    if (!ref) continue;
    const r = role(name);
    const container =
      (ref.type === "Map" || ref.type === "Parallel") &&
      r.kind !== "undoable" &&
      r.kind !== "compensation" &&
      r.kind !== "irreversible";
    const effects: Effects = container
      ? effectsOf(ref, roles)
      : { steps: [], undoes: [], irreversible: false };
    const failingCompensation =
      r.kind === "compensation" || (container && effects.undoes.length > 0);

    if (ref.type === "Task" || ref.type === "Map" || ref.type === "Parallel") {
      const failed = union(ctx.outstanding, effects.steps);
      for (const c of catchers(ref)) {
        push(c.next, {
          ...ctx,
          outstanding: failed,
          recovering: true,
          origin: ctx.recovering
            ? ctx.origin
            : {
                ref,
                index: c.index,
                next: c.next,
                transactional:
                  r.kind === "undoable" || r.kind === "irreversible" || effects.steps.length > 0,
              },
          compensationFailed: ctx.compensationFailed || failingCompensation,
        });
      }
      const skip = failingCompensation || ctx.compensationFailed || (ctx.pivot && !ctx.compensated);
      if (
        !inner &&
        !catchesEverything(ref) &&
        !skip &&
        failed.length > 0 &&
        r.kind !== "read-only"
      ) {
        findings.add(
          "UNCOMPENSATED_FAILURE",
          ref.at,
          `If '${ref.name}' fails, no Catch takes the error and the execution fails without undoing`,
          failed,
          "— add a Catch (States.ALL) that runs their compensations.",
        );
      }
    }

    // Success: undo, then record what this state did.
    const next: Ctx = { ...ctx, outstanding: [...ctx.outstanding] };
    if (r.kind === "compensation") {
      next.compensated = true;
      for (const step of r.undoes) undo(next, step, ref);
    }
    if (container) {
      if (effects.undoes.length > 0) next.compensated = true;
      next.outstanding = next.outstanding.filter((s) => !effects.undoes.includes(s));
      next.outstanding = union(next.outstanding, effects.steps);
      if (effects.irreversible && !ctx.recovering) next.pivot = true;
    }
    if (r.kind === "undoable" || r.kind === "irreversible") {
      next.outstanding = [...next.outstanding.filter((s) => s !== name), name];
      if (r.kind === "irreversible" && !ctx.recovering) next.pivot = true;
    }

    if (ref.type === "Succeed") terminal(next, false, ref);
    else if (ref.type === "Fail") terminal(next, true, ref);
    else if (ref.state.End === true) terminal(next, false, ref);
    else for (const s of successors(ref)) push(s, next);
  }
  return true;

  function undo(ctx: Ctx, step: string, by: StateRef): void {
    const i = ctx.outstanding.indexOf(step);
    if (i < 0) return;
    const later = ctx.outstanding.slice(i + 1).filter((s) => role(s).kind === "undoable");
    if (later.length > 0) {
      findings.add(
        "COMPENSATION_ORDER",
        by.at,
        `'${by.name}' undoes ${step} while a step that ran after it is still done:`,
        later,
        `— compensate in reverse order, latest step first (${andList(later.map((s) => compensationOf(s)))} before '${by.name}').`,
      );
    }
    ctx.outstanding.splice(i, 1);
  }

  function compensationOf(step: string): string {
    const r = role(step);
    return r.kind === "undoable" ? `'${r.compensation}'` : step;
  }
}

function union(a: string[], b: string[]): string[] {
  return [...a, ...b.filter((s) => !a.includes(s))];
}
