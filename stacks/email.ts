/**
 * The SES identity mail is sent from, and the `Email` link. As with the table, the link is our
 * own so that it grants `ses:SendEmail`/`SendRawEmail` on this account's identities and the
 * configuration set rather than SST's `ses:*` plus send on `"*"`.
 */
import { EMAIL_ACTIONS, emailStatement } from "./lib/iam.ts";

/** Creates the SES identity for `sender` (SES mails it a verification link) and its link. */
export function email(sender: string) {
  const mailer = new sst.aws.Email("Mailer", { sender });
  const resources = $resolve([mailer.nodes.identity.arn, mailer.nodes.configurationSet.arn]).apply(
    ([identityArn, configurationSetArn]) =>
      emailStatement({ identityArn, configurationSetArn }).Resource,
  );
  const link = new sst.Linkable("Email", {
    properties: { sender: mailer.sender, configSet: mailer.configSet },
    include: [sst.aws.permission({ actions: [...EMAIL_ACTIONS], resources })],
  });
  return { mailer, link };
}
