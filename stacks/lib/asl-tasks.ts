/**
 * The Task states of an ASL definition and the Lambda functions they invoke, found through every
 * nesting level (Parallel branches, Map item processors), so the execution role can be checked to
 * allow exactly what the definition calls.
 */

/** One Task state: where it is, its Resource, and the function it invokes if it is a Lambda task. */
export interface TaskRef {
  /** State names from the top level down to the Task, e.g. `["ReserveLines", "ReserveStock"]`. */
  path: string[];
  resource: string;
  /** The function name or ARN invoked (Lambda tasks only), as written in the definition. */
  functionName?: string;
}

const LAMBDA_INTEGRATIONS = new Set([
  "arn:aws:states:::lambda:invoke",
  "arn:aws:states:::lambda:invoke.waitForTaskToken",
]);
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/;

/** Lists every Task state in a definition, depth first, in the order states are declared. */
export function taskStates(definition: unknown): TaskRef[] {
  const out: TaskRef[] = [];
  visit(definition, [], out);
  return out;
}

function visit(machine: unknown, path: string[], out: TaskRef[]): void {
  const states = (machine as { States?: Record<string, Record<string, unknown>> } | null)?.States;
  if (!states) return;
  for (const [name, state] of Object.entries(states)) {
    const here = [...path, name];
    if (state.Type === "Task" && typeof state.Resource === "string") {
      out.push({ path: here, resource: state.Resource, ...functionOf(state) });
    }
    if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
      for (const branch of state.Branches) visit(branch, here, out);
    }
    if (state.Type === "Map") visit(state.ItemProcessor ?? state.Iterator, here, out);
  }
}

function functionOf(state: Record<string, unknown>): { functionName?: string } {
  const resource = state.Resource as string;
  if (LAMBDA_INTEGRATIONS.has(resource)) {
    const args = (state.Arguments ?? state.Parameters) as Record<string, unknown> | undefined;
    const fn = args?.FunctionName ?? args?.["FunctionName.$"];
    return typeof fn === "string" ? { functionName: fn } : {};
  }
  return LAMBDA_ARN.test(resource) ? { functionName: resource } : {};
}

/**
 * Whether an IAM resource pattern list allows invoking `functionName` (a full ARN, optionally
 * qualified by version or alias): exact match, or a `<arn>:*` pattern for qualified calls.
 */
export function mayInvoke(allowed: readonly string[], functionName: string): boolean {
  if (allowed.includes(functionName)) return true;
  const base = functionName.split(":").slice(0, 7).join(":");
  return functionName !== base && allowed.includes(`${base}:*`);
}
