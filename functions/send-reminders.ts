/**
 * SendReminders: the approvals sweep. Reminds approvers once before expiry, expires overdue
 * requests and tells their requester, and re-delivers decisions Step Functions did not receive.
 *
 * Its schedule fires every minute on AWS; an invocation sweeps, then waits for the due times
 * that fall within its minute (approvals/sweep-timer.ts) and returns once nothing more is due
 * before the next run, so an expiry or a reminder happens within a second of its time (a request
 * made less than a minute before its first due time: by the next run). Called without a Lambda
 * context (a test, a one-off run) it sweeps once. The local platform runs the same timer until
 * it stops (`runUntilStopped`).
 */

import type { Context } from "aws-lambda";
import { depsFromResources } from "./api/deps.ts";
import { ApprovalService, type SweepReport } from "./approvals/index.ts";
import { abortableSleep, runSweepTimer } from "./approvals/sweep-timer.ts";

/** The schedule's period: each invocation covers one. */
const PERIOD_MS = 60_000;
/** Left unused at the end of an invocation, so a last sweep never runs into the timeout. */
const MARGIN_MS = 10_000;

let service: ApprovalService | undefined;
const approvals = () => {
  service ??= new ApprovalService(depsFromResources());
  return service;
};

function emptyReport(): SweepReport {
  return { emailed: [], reminded: [], escalated: [], expired: [], renotified: [] };
}

/** Sweeps at each due time until `until` (epoch ms) or `signal`; returns everything it did. */
async function sweepAtDueTimes(
  until: number,
  options: { signal?: AbortSignal; timeLeftMs?: () => number; stopWhenIdle?: boolean } = {},
): Promise<SweepReport> {
  const s = approvals();
  const total = emptyReport();
  await runSweepTimer(
    {
      sweep: async () => {
        const report = await s.sweep(options.timeLeftMs ? { timeLeftMs: options.timeLeftMs } : {});
        for (const key of Object.keys(total) as (keyof SweepReport)[])
          total[key].push(...report[key]);
      },
      nextDue: () => s.store.nextDue(),
      now: () => s.now.getTime(),
      sleep: abortableSleep,
    },
    {
      until,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.stopWhenIdle ? { stopWhenIdle: true } : {}),
    },
  );
  return total;
}

export async function handler(_event?: unknown, context?: Partial<Context>) {
  const left = context?.getRemainingTimeInMillis;
  if (!left) return approvals().sweep();
  const timeLeftMs = () => left.call(context);
  const until = Date.now() + Math.max(0, Math.min(PERIOD_MS, timeLeftMs() - MARGIN_MS));
  return sweepAtDueTimes(until, { timeLeftMs, stopWhenIdle: true });
}

/** The local platform's sweeper: the same timer, until `signal` aborts (the platform stops). */
export async function runUntilStopped(signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      await sweepAtDueTimes(Number.POSITIVE_INFINITY, { signal });
    } catch (error) {
      // DynamoDB Local restarting, say: the next round goes on.
      console.error("reminder sweep failed:", error);
      await abortableSleep(5_000, signal);
    }
  }
}
