/** The reminder job: re-mails approvers whose approvals are close to expiry. */
import { FUNCTION_DEFAULTS, type Links } from "./functions.ts";
import { linksFor, SAGA_GRANTS } from "./lib/links.ts";
import { handlerFor, OTHER_FUNCTIONS } from "./lib/naming.ts";

/** How often reminders are considered; a reminder goes out once per approval (handler's rule). */
export const REMINDER_SCHEDULE = "rate(15 minutes)";

/**
 * Creates the scheduled `SendReminders` function. Besides mailing, the sweep ends waits whose
 * approval expired and re-delivers decisions, so it may answer the saga's tasks.
 */
export function reminders(args: { links: Links; stateMachineArn: $util.Input<string> }) {
  return new sst.aws.Cron("SendReminders", {
    schedule: REMINDER_SCHEDULE,
    function: {
      ...FUNCTION_DEFAULTS,
      handler: handlerFor(OTHER_FUNCTIONS.SendReminders),
      link: linksFor("SendReminders", args.links),
      permissions: $output(args.stateMachineArn).apply((arn) =>
        SAGA_GRANTS.SendReminders!(arn).map((s) => ({ actions: s.Action, resources: s.Resource })),
      ),
    },
  });
}
