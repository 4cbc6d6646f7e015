/**
 * Item 7: state transitions of one execution, counted from its history, and the AWS bill per
 * million orders that follows. Prices are us-east-1 list prices (Step Functions Standard, Lambda),
 * free tiers left out.
 */
import type { HistoryEvent } from "../local/asl/types.ts";

/** Step Functions Standard: $0.025 per 1,000 state transitions. */
export const USD_PER_TRANSITION = 0.025 / 1_000;
/** Lambda: $0.20 per million requests. */
export const USD_PER_LAMBDA_REQUEST = 0.2 / 1_000_000;
/** Lambda arm64 duration: $0.0000133334 per GB-second. */
export const USD_PER_GB_SECOND_ARM = 0.0000133334;

/** What the duration estimate assumes for every Lambda invocation. */
export const DURATION_ASSUMPTION = { memoryMB: 256, billedMs: 100 } as const;

/** States entered (`*StateEntered` events, Map iterations included), the unit AWS bills. */
export function countTransitions(history: readonly HistoryEvent[]): number {
  return history.filter((e) => e.type.endsWith("StateEntered")).length;
}

/** Lambda invocations the execution made (retries included: each one is a request). */
export function countLambdaRequests(history: readonly HistoryEvent[]): number {
  return history.filter((e) => {
    if (e.type === "LambdaFunctionScheduled") return true;
    if (e.type !== "TaskScheduled") return false;
    const details = e.taskScheduledEventDetails as { resourceType?: string } | undefined;
    return details?.resourceType === "lambda";
  }).length;
}

/** Step Functions transitions plus Lambda requests, USD per million orders. */
export function usdPerMillionOrders(transitions: number, lambdaRequests: number): number {
  return (transitions * USD_PER_TRANSITION + lambdaRequests * USD_PER_LAMBDA_REQUEST) * 1_000_000;
}

/** Lambda duration under {@link DURATION_ASSUMPTION}, USD per million orders. */
export function lambdaDurationUsdPerMillionOrders(lambdaRequests: number): number {
  const gbSeconds = (DURATION_ASSUMPTION.memoryMB / 1024) * (DURATION_ASSUMPTION.billedMs / 1000);
  return lambdaRequests * gbSeconds * USD_PER_GB_SECOND_ARM * 1_000_000;
}
