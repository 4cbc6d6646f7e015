/**
 * The SES identity mail is sent from, and the `Email` link (the sender address, no permissions:
 * sending is a statement of each function's policy in the topology, scoped to this account's
 * identities and the configuration set rather than SST's `ses:*`).
 */

/** Creates the SES identity for `sender` (SES mails it a verification link) and its link. */
export function email(sender: string) {
  const mailer = new sst.aws.Email("Mailer", { sender });
  const link = new sst.Linkable("Email", {
    properties: { sender: mailer.sender, configSet: mailer.configSet },
  });
  return {
    mailer,
    link,
    identityArn: mailer.nodes.identity.arn,
    configurationSetArn: mailer.nodes.configurationSet.arn,
  };
}
