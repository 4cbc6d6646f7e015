/**
 * State transitions of one execution, counted from its history, and the AWS bill per million
 * orders that follows. Prices are us-east-1 list prices (Step Functions Standard, Lambda on
 * arm64, as `stacks/lib/function-defaults.ts` deploys), free tiers left out; each function's
 * memory is what `stacks/topology.ts` gives it.
 */
import type { HistoryEvent } from "../local/asl/types.ts";
import { FUNCTIONS } from "../stacks/topology.ts";

/** Step Functions Standard: $0.025 per 1,000 state transitions. */
export const USD_PER_TRANSITION = 0.025 / 1_000;
/** Lambda: $0.20 per million requests. */
export const USD_PER_LAMBDA_REQUEST = 0.2 / 1_000_000;
/** Lambda arm64 duration: $0.0000133334 per GB-second. */
export const USD_PER_GB_SECOND_ARM = 0.0000133334;

/** What the duration estimate assumes for every Lambda invocation. */
export const BILLED_MS_PER_INVOCATION = 100;

/** States entered (`*StateEntered` events, Map iterations included), the unit AWS bills. */
export function countTransitions(history: readonly HistoryEvent[]): number {
  return history.filter((e) => e.type.endsWith("StateEntered")).length;
}

/**
 * The functions the execution invoked, one entry per request (retries included), by function
 * name (the last part of the ARN): `arn:aws:states:::lambda:invoke` tasks name theirs in
 * `Parameters.FunctionName`, plain-ARN tasks in their resource.
 */
export function lambdaInvocations(history: readonly HistoryEvent[]): string[] {
  const names: string[] = [];
  for (const e of history) {
    if (e.type === "LambdaFunctionScheduled") {
      const details = e.lambdaFunctionScheduledEventDetails as { resource?: string } | undefined;
      names.push(functionName(details?.resource ?? ""));
    } else if (e.type === "TaskScheduled") {
      const details = e.taskScheduledEventDetails as
        | { resourceType?: string; parameters?: string }
        | undefined;
      if (details?.resourceType !== "lambda") continue;
      const params = JSON.parse(details.parameters ?? "{}") as { FunctionName?: unknown };
      names.push(functionName(String(params.FunctionName ?? "")));
    }
  }
  return names;
}

/** Lambda invocations the execution made (retries included: each one is a request). */
export function countLambdaRequests(history: readonly HistoryEvent[]): number {
  return lambdaInvocations(history).length;
}

/** `arn:aws:lambda:r:a:function:Name[:qualifier]` or `Name[:qualifier]` → `Name`. */
function functionName(nameOrArn: string): string {
  const parts = nameOrArn.split(":");
  return (nameOrArn.startsWith("arn:") ? parts[6] : parts[0]) ?? nameOrArn;
}

/** The memory a function is deployed with (`stacks/topology.ts`); throws for an unknown one. */
export function deployedMemoryMB(name: string): number {
  const spec = (FUNCTIONS as Record<string, { memoryMB: number }>)[name];
  if (!spec) {
    throw new Error(
      `function "${name}" is not in stacks/topology.ts: its deployed memory is unknown`,
    );
  }
  return spec.memoryMB;
}

/** Step Functions transitions plus Lambda requests, USD per million orders. */
export function usdPerMillionOrders(transitions: number, lambdaRequests: number): number {
  return (transitions * USD_PER_TRANSITION + lambdaRequests * USD_PER_LAMBDA_REQUEST) * 1_000_000;
}

/**
 * Lambda duration, USD per million orders: each invocation billed {@link BILLED_MS_PER_INVOCATION}
 * at the memory its function is deployed with.
 */
export function lambdaDurationUsdPerMillionOrders(
  functions: readonly string[],
  memoryMB: (name: string) => number = deployedMemoryMB,
): number {
  let gbSeconds = 0;
  for (const name of functions)
    gbSeconds += (memoryMB(name) / 1024) * (BILLED_MS_PER_INVOCATION / 1000);
  return gbSeconds * USD_PER_GB_SECOND_ARM * 1_000_000;
}
