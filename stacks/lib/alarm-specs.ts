/**
 * What pages an operator, as plain data: the saga's failed, timed-out and aborted executions
 * (Step Functions' `AWS/States` metrics per state machine), an order whose compensation ran out of
 * retries and waits for an operator (`CompensationsParked`, a metric MarkOrderFailed writes: the
 * execution is still running, so no execution metric or status event would tell), any execution
 * that ends in `CompensationFailed` (an EventBridge rule on the execution status change event:
 * every one, at once, not a count), and the reminder sweep's errors and parked events.
 */
import { COMPENSATIONS_PARKED, METRICS_NAMESPACE } from "../../functions/shared/metrics.ts";

/** A CloudWatch metric alarm: at least one event in five minutes. */
export interface MetricAlarmSpec {
  name: string;
  namespace: string;
  metricName: string;
  /** Which dimension identifies the resource (its value is resolved by the stack); none: the
   * metric has no dimension (Countersign's own, one per stage's account and region). */
  dimension?: "StateMachineArn" | "FunctionName" | "QueueName";
  description: string;
}

/** The saga's execution alarms (https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html). */
export const SAGA_ALARMS: readonly MetricAlarmSpec[] = [
  {
    name: "SagaExecutionsFailed",
    namespace: "AWS/States",
    metricName: "ExecutionsFailed",
    dimension: "StateMachineArn",
    description: "An order saga execution failed: read its history in the dashboard",
  },
  {
    name: "SagaExecutionsTimedOut",
    namespace: "AWS/States",
    metricName: "ExecutionsTimedOut",
    dimension: "StateMachineArn",
    description: "An order saga execution timed out",
  },
  {
    name: "SagaExecutionsAborted",
    namespace: "AWS/States",
    metricName: "ExecutionsAborted",
    dimension: "StateMachineArn",
    description: "An order saga execution was stopped (StopExecution)",
  },
  {
    name: "SagaCompensationsParked",
    namespace: METRICS_NAMESPACE,
    metricName: COMPENSATIONS_PARKED,
    description:
      "An order's compensation ran out of retries and waits for an operator (status COMPENSATION_FAILED): countersign orders retry-compensation <orderId>",
  },
];

/** The reminder sweep's alarms. */
export const SCHEDULE_ALARMS: readonly MetricAlarmSpec[] = [
  {
    name: "RemindersFailed",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimension: "FunctionName",
    description:
      "The reminder sweep failed: approvers may miss reminders and expired waits stay open",
  },
  {
    name: "RemindersDeadLettered",
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimension: "QueueName",
    description: "EventBridge could not run the reminder sweep and parked the event",
  },
];

/** The error the saga's last resort ends with (its `CompensationFailed` Fail state). */
export const COMPENSATION_FAILED = "CompensationFailed";

/**
 * The EventBridge pattern for an execution of `stateMachineArn` that failed with
 * `CompensationFailed` (https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html).
 */
export function compensationFailedPattern(stateMachineArn: string) {
  return {
    source: ["aws.states"],
    "detail-type": ["Step Functions Execution Status Change"],
    detail: {
      stateMachineArn: [stateMachineArn],
      status: ["FAILED"],
      error: [COMPENSATION_FAILED],
    },
  };
}

/**
 * The message the rule sends: the execution's name and ARN only. The event also carries the
 * execution's input (the customer), which an email must not.
 */
export const COMPENSATION_FAILED_MESSAGE = {
  inputPaths: { name: "$.detail.name", execution: "$.detail.executionArn" },
  inputTemplate:
    '"Order saga execution <name> ended in CompensationFailed: a compensation did not complete, so stock or a charge needs a person. Execution: <execution>"',
};
