/** `countersign outbox list|open`: mail captured by the local platform's SES server. */
import type { Command } from "commander";
import { outboxView } from "../emulators/ses-local.ts";
import { CliInputError } from "./errors.ts";
import { print } from "./output.ts";
import { connectLocal, localOptions, type TargetOptions } from "./target.ts";

export function registerOutboxCommands(program: Command): void {
  const outbox = program.command("outbox").description("mail captured by the local SES outbox");
  const list = outbox.command("list").description("every captured email, oldest first");
  localOptions(list).action(async (o: TargetOptions) => {
    const mails = (await (await connectLocal(o, "The outbox")).outbox()).map(outboxView);
    if (o.json) return print(mails);
    if (mails.length === 0) return console.log("The outbox is empty.");
    for (const m of mails) console.log(`${m.id}  ${m.at}  ${m.to.join(", ")}  ${m.subject}`);
  });
  const open = outbox
    .command("open")
    .description("print one email's text")
    .argument("<id>", "message id (from `outbox list`)");
  localOptions(open).action(async (id: string, o: TargetOptions) => {
    const mail = (await (await connectLocal(o, "The outbox")).outbox()).find((m) => m.id === id);
    if (!mail) throw new CliInputError(`No email ${id} in the outbox: see \`outbox list\``);
    if (o.json) return print(outboxView(mail));
    console.log(
      `To: ${mail.to.join(", ")}\nSubject: ${mail.subject}\nDate: ${mail.at}\n\n${mail.text}`,
    );
  });
}
