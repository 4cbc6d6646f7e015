/**
 * The topology's schedules as `sst.aws.Cron`s. EventBridge retries a failed delivery
 * (`retryPolicy`) and then parks the event in a dead-letter queue that only this rule may write
 * to; alarms.ts pages on that queue and on the function's errors.
 */
import { type FunctionInputs, functionArgs } from "./functions.ts";
import { SCHEDULES } from "./topology.ts";

/** Creates each schedule with its function and dead-letter queue. */
export function schedules(inputs: FunctionInputs) {
  return SCHEDULES.map((spec) => {
    const deadLetters = new aws.sqs.Queue(`${spec.name}DeadLetters`, {
      messageRetentionSeconds: 14 * 24 * 60 * 60,
      sqsManagedSseEnabled: true,
    });
    const cron = new sst.aws.Cron(spec.name, {
      schedule: spec.expression,
      function: functionArgs(spec.function, inputs),
      transform: {
        target: (t) => {
          t.retryPolicy = {
            maximumRetryAttempts: spec.retryAttempts,
            maximumEventAgeInSeconds: spec.maximumEventAgeSeconds,
          };
          t.deadLetterConfig = { arn: deadLetters.arn };
        },
      },
    });
    new aws.sqs.QueuePolicy(`${spec.name}DeadLettersPolicy`, {
      queueUrl: deadLetters.url,
      policy: $resolve([deadLetters.arn, cron.nodes.rule.arn]).apply(([queue, rule]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ScheduleRuleParksFailedEvents",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: "sqs:SendMessage",
              Resource: queue,
              Condition: { ArnEquals: { "aws:SourceArn": rule } },
            },
          ],
        }),
      ),
    });
    return { spec, cron, deadLetters };
  });
}
