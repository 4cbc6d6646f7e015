/**
 * Countersign's own CloudWatch metrics, written as CloudWatch embedded metric format (EMF) log
 * lines: Lambda sends the line to CloudWatch Logs, which turns it into a metric. No API call and no
 * extra IAM permission. The stacks alarm on these names (`stacks/lib/alarm-specs.ts`), so they
 * are written once, here. See
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

/** The namespace of every Countersign metric. */
export const METRICS_NAMESPACE = "Countersign";

/** An order saga parked a compensation that ran out of retries: an operator must act. */
export const COMPENSATIONS_PARKED = "CompensationsParked";

/**
 * One EMF line: the metric `name` with `value` (a count, no dimensions) beside `fields`, which stay
 * searchable in the log. It goes to stdout on its own line, bypassing `console`, which Lambda's
 * runtime prefixes with a timestamp and request id (a prefixed line is not EMF).
 */
export function emitCount(name: string, fields: Record<string, unknown>, value = 1): void {
  const line = {
    ...fields,
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [[]],
          Metrics: [{ Name: name, Unit: "Count" }],
        },
      ],
    },
    [name]: value,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
