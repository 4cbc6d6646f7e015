/**
 * How long an approval may wait. Step Functions accepts a Task's TimeoutSeconds up to 99,999,999
 * (about 3 years), but nobody should wait that long for a person, and an unbounded value was a
 * way to plant requests that sort wrongly in the sweep index and starve it. The default limit is
 * 30 days; `Settings.maxApprovalTimeoutSeconds` moves it, never past AWS's own limit.
 */

/** The default longest wait for a decision: 30 days. */
export const DEFAULT_MAX_APPROVAL_TIMEOUT_SECONDS = 30 * 24 * 60 * 60;

/** AWS's limit on a Task state's TimeoutSeconds (and HeartbeatSeconds). */
export const AWS_MAX_TASK_TIMEOUT_SECONDS = 99_999_999;

/** The longest wait these settings allow. */
export function maxApprovalTimeoutSeconds(settings: {
  maxApprovalTimeoutSeconds?: number;
}): number {
  return Math.min(
    settings.maxApprovalTimeoutSeconds ?? DEFAULT_MAX_APPROVAL_TIMEOUT_SECONDS,
    AWS_MAX_TASK_TIMEOUT_SECONDS,
  );
}

/** Why `seconds` is not an allowed approval timeout under `settings`, or undefined when it is. */
export function approvalTimeoutProblem(
  seconds: number,
  settings: { maxApprovalTimeoutSeconds?: number },
): string | undefined {
  const max = maxApprovalTimeoutSeconds(settings);
  if (Number.isInteger(seconds) && seconds > 0 && seconds <= max) return undefined;
  return `must be a whole number of seconds from 1 to ${max} (${Math.floor(max / 86_400)} days; Settings.maxApprovalTimeoutSeconds sets the limit, at most ${AWS_MAX_TASK_TIMEOUT_SECONDS})`;
}
