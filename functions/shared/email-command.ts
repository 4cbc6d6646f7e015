/** The one shape of email the platform sends: a UTF-8 message with a text and an HTML body. */
import { SendEmailCommand } from "@aws-sdk/client-sesv2";

/** An SESv2 SendEmail of a simple message with both bodies, so every client can show one. */
export function simpleEmailCommand(
  from: string,
  to: string[],
  content: { subject: string; text: string; html: string },
): SendEmailCommand {
  return new SendEmailCommand({
    FromEmailAddress: from,
    Destination: { ToAddresses: to },
    Content: {
      Simple: {
        Subject: { Data: content.subject, Charset: "UTF-8" },
        Body: {
          Text: { Data: content.text, Charset: "UTF-8" },
          Html: { Data: content.html, Charset: "UTF-8" },
        },
      },
    },
  });
}
