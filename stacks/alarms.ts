/**
 * Operations: one SNS topic (an email subscription when COUNTERSIGN_ALARM_EMAIL is set; SNS mails
 * a confirmation link first) that the alarms in lib/alarm-specs.ts and the CompensationFailed
 * rule publish to. The topic's policy lets only this account's alarms and that rule publish.
 */
import {
  COMPENSATION_FAILED_MESSAGE,
  compensationFailedPattern,
  type MetricAlarmSpec,
  SAGA_ALARMS,
  SCHEDULE_ALARMS,
} from "./lib/alarm-specs.ts";

export interface AlarmArgs {
  stateMachineArn: $util.Input<string>;
  /** Where alarms are mailed; none: the topic exists, subscribe to it yourself. */
  email?: string;
  /** The reminder sweep's function and dead-letter queue. */
  reminders: { functionName: $util.Input<string>; deadLetterQueueName: $util.Input<string> };
}

/** Creates the topic, its subscription and policy, the alarms and the CompensationFailed rule. */
export function alarms(args: AlarmArgs) {
  const topic = new aws.sns.Topic("Alarms", {});
  if (args.email) {
    new aws.sns.TopicSubscription("AlarmsEmail", {
      topic: topic.arn,
      protocol: "email",
      endpoint: args.email,
    });
  }
  const dimensionValue: Record<NonNullable<MetricAlarmSpec["dimension"]>, $util.Input<string>> = {
    StateMachineArn: args.stateMachineArn,
    FunctionName: args.reminders.functionName,
    QueueName: args.reminders.deadLetterQueueName,
  };
  const metricAlarms = [...SAGA_ALARMS, ...SCHEDULE_ALARMS].map(
    (spec) =>
      new aws.cloudwatch.MetricAlarm(spec.name, {
        alarmDescription: spec.description,
        namespace: spec.namespace,
        metricName: spec.metricName,
        ...(spec.dimension
          ? { dimensions: { [spec.dimension]: dimensionValue[spec.dimension] } }
          : {}),
        statistic: spec.metricName.startsWith("Approximate") ? "Maximum" : "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [topic.arn],
      }),
  );
  const rule = new aws.cloudwatch.EventRule("CompensationFailed", {
    description: "An order saga execution ended in CompensationFailed",
    eventPattern: $output(args.stateMachineArn).apply((arn) =>
      JSON.stringify(compensationFailedPattern(arn)),
    ),
  });
  new aws.cloudwatch.EventTarget("CompensationFailedToAlarms", {
    rule: rule.name,
    arn: topic.arn,
    inputTransformer: COMPENSATION_FAILED_MESSAGE,
  });
  new aws.sns.TopicPolicy("AlarmsPolicy", {
    arn: topic.arn,
    policy: $resolve([topic.arn, rule.arn, aws.getCallerIdentityOutput().accountId]).apply(
      ([topicArn, ruleArn, accountId]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "AccountAlarmsPublish",
              Effect: "Allow",
              Principal: { Service: "cloudwatch.amazonaws.com" },
              Action: "sns:Publish",
              Resource: topicArn,
              Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
            {
              Sid: "CompensationFailedRulePublishes",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: "sns:Publish",
              Resource: topicArn,
              Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
            },
          ],
        }),
    ),
  });
  return { topic, metricAlarms, rule };
}
