/**
 * CLI commands for the local platform: `start`, and the commands that talk to a running one
 * (`orders`, `approvals`, `executions`, `outbox`). Human output by default, `--json` for scripts.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type Command, Option } from "commander";
import { outboxView } from "../emulators/ses-local.ts";
import { PlatformClient, readOrderFile } from "../platform/client.ts";
import { DEFAULT_DATA_DIR } from "../platform/data-dir.ts";
import { demoOrder, newOrderId } from "../platform/demo.ts";

export const DEFAULT_PORT = 8787;

const dataDirOption = () =>
  new Option("--data-dir <dir>", "data directory of the platform").default(DEFAULT_DATA_DIR);
const urlOption = () =>
  new Option(
    "--url <url>",
    "API URL of the platform (default: the one recorded in --data-dir, which it must match)",
  );
const jsonOption = () => new Option("--json", "print JSON for scripts");

interface ClientOptions {
  dataDir: string;
  url?: string;
  json?: boolean;
}
const client = (o: ClientOptions) => PlatformClient.connect(o.dataDir, o.url);
const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];
const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));
const iso = (d: Date | undefined) => (d ? d.toISOString() : "");

/** Waits (up to `ms`) for the approval email of `orderId` and returns the link in it. */
async function approvalLinkFor(c: PlatformClient, orderId: string, ms = 20_000): Promise<string> {
  for (let waited = 0; waited < ms; waited += 250) {
    const mail = (await c.outbox()).find(
      (m) => m.text.includes(orderId) && /\/approvals\//.test(m.text),
    );
    const link = mail && /(https?:\/\/\S+\/approvals\/\S+)/.exec(mail.text)?.[1];
    if (link) return link;
    await sleep(250);
  }
  throw new Error(
    `No approval email for ${orderId} arrived: see \`countersign executions history\``,
  );
}

/**
 * Approval ids made before ids got their "a" prefix are bare base64url, so about one in 64 starts
 * with "-", which commander would take for an unknown option: a first argument shaped like an id
 * is always the id
 * (`approvals decide -Xb3… approve` works as printed by `approvals list`).
 */
function idArgumentFirst(command: Command): void {
  const parse = command.parseOptions.bind(command);
  command.parseOptions = (args: string[]) => {
    const [first, ...rest] = args;
    const known = command.options.some((o) => o.long === first || o.short === first);
    if (first === undefined || known || !/^-[A-Za-z0-9_-]{15,}$/.test(first)) return parse(args);
    const parsed = parse(rest);
    return { operands: [first, ...parsed.operands], unknown: parsed.unknown };
  };
}

export function registerPlatformCommands(program: Command): void {
  program
    .command("start")
    .description("run the whole platform on 127.0.0.1, with a demo order waiting for approval")
    .addOption(dataDirOption())
    .addOption(
      new Option("--port <port>", "port of the API and dashboard (0 = any free port)")
        .default(DEFAULT_PORT)
        .argParser((v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 0 || n > 65535)
            throw new Error(`--port must be a whole number from 0 to 65535, got ${v}`);
          return n;
        }),
    )
    .option("--no-demo", "do not place the demo order")
    .action(async (o: { dataDir: string; port: number; demo: boolean }) => {
      const started = performance.now();
      // Loaded here, not at the top: every other command starts faster without the whole platform.
      const { startPlatform } = await import("../platform/start.ts");
      const platform = await startPlatform({
        dataDir: o.dataDir,
        port: o.port,
        log: (line) => console.log(line),
      });
      const { urls } = platform;
      let stopping = false;
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${signal}: stopping… (state is kept in ${o.dataDir})`);
        await platform.stop();
        process.exit(0);
      };
      process.on("SIGINT", () => void shutdown("SIGINT"));
      process.on("SIGTERM", () => void shutdown("SIGTERM"));
      console.log(
        [
          "",
          `Countersign is running (${((performance.now() - started) / 1000).toFixed(1)} s, data in ${o.dataDir})`,
          `  Dashboard:       ${urls.dashboard}`,
          `API: ${urls.api}`,
          `  Step Functions:  ${urls.stepFunctions}`,
          `  DynamoDB Local:  ${urls.dynamodb}`,
          `  SES outbox:      ${urls.ses}   (npx countersign outbox list)`,
        ].join("\n"),
      );
      if (o.demo) {
        const c = new PlatformClient(urls, o.dataDir);
        const { orderId } = await c.placeOrder(demoOrder(newOrderId(new Date())));
        const link = await approvalLinkFor(c, orderId);
        console.log(`\nDemo order ${orderId} is waiting for approval. Open:\n  ${link}`);
      }
      console.log("\nPress Ctrl-C to stop.");
    });

  const orders = program.command("orders").description("place and list orders");
  orders
    .command("place")
    .description("start the order saga for an order (a JSON file, or --demo)")
    .argument("[file]", 'order JSON file (format: README.md, "The command line")')
    .option("--demo", "place the demo order (2 laptops, needs approval)")
    .addOption(dataDirOption())
    .addOption(urlOption())
    .addOption(jsonOption())
    .action(async (file: string | undefined, o: ClientOptions & { demo?: boolean }) => {
      if (!file && !o.demo) throw new Error("orders place needs an order file or --demo");
      const order = o.demo ? demoOrder(newOrderId(new Date())) : readOrderFile(file as string);
      const placed = await (await client(o)).placeOrder(order);
      if (o.json) print(placed);
      else console.log(`Placed ${placed.orderId}\n  execution: ${placed.executionArn}`);
    });
  orders
    .command("list")
    .description("list orders, newest first")
    .addOption(dataDirOption())
    .addOption(urlOption())
    .addOption(jsonOption())
    .action(async (o: ClientOptions) => {
      const items = await (await client(o)).listOrders();
      if (o.json) return print(items);
      if (items.length === 0)
        return console.log("No orders yet: place one with `orders place --demo`");
      for (const i of items)
        console.log(`${i.orderId}  ${String(i.status).padEnd(18)} ${i.createdAt}`);
    });

  const approvals = program.command("approvals").description("list and decide approvals");
  approvals
    .command("list")
    .description("approvals waiting for a decision")
    .addOption(dataDirOption())
    .addOption(urlOption())
    .addOption(jsonOption())
    .action(async (o: ClientOptions) => {
      const items = (await (await client(o)).pendingApprovals()).map(
        ({ taskToken: _secret, ...rest }) => rest,
      );
      if (o.json) return print(items);
      if (items.length === 0) return console.log("No approvals are waiting.");
      for (const a of items)
        console.log(
          `${a.approvalId}  order ${a.orderId}  ${a.summary.total} ${a.summary.currency}  approvers ${a.approvers.join(", ")}  expires ${a.expiresAt}`,
        );
    });
  const decide = approvals
    .command("decide")
    .description("approve or reject, through the same signed link and form an approver uses")
    .argument("<id>", "approval id (from `approvals list`)")
    .argument("<decision>", "approve | reject")
    .option("--comment <text>", "comment recorded with the decision")
    .option("--as <email>", "decide as this approver (default: the first who has not voted)")
    .addOption(dataDirOption())
    .addOption(urlOption())
    .addOption(jsonOption())
    .action(
      async (
        id: string,
        decision: string,
        o: ClientOptions & { comment?: string; as?: string },
      ) => {
        if (decision !== "approve" && decision !== "reject")
          throw new Error(`decision must be "approve" or "reject", got "${decision}"`);
        const result = await (await client(o)).decide(id, decision, {
          ...(o.comment !== undefined ? { comment: o.comment } : {}),
          ...(o.as !== undefined ? { as: o.as } : {}),
        });
        const failed = result.status >= 400;
        if (o.json) print(result);
        else if (failed) console.error(`countersign: ${result.message || `HTTP ${result.status}`}`);
        else console.log(result.message || `HTTP ${result.status}`);
        if (failed) process.exitCode = 1;
      },
    );
  idArgumentFirst(decide);

  const executions = program.command("executions").description("inspect saga executions");
  executions
    .command("list")
    .description("executions of the order saga, newest first")
    .addOption(
      new Option("--status <status>", "only executions with this status").choices(STATUSES),
    )
    .addOption(dataDirOption())
    .addOption(urlOption())
    .addOption(jsonOption())
    .action(async (o: ClientOptions & { status?: string }) => {
      const out = await (await client(o)).listExecutions(o.status);
      if (o.json) return print({ executions: out.executions ?? [] });
      if (!out.executions?.length)
        return console.log(`No${o.status ? ` ${o.status}` : ""} executions.`);
      for (const e of out.executions ?? [])
        console.log(
          `${String(e.status).padEnd(10)} ${e.name}  ${iso(e.startDate)}  ${e.executionArn}`,
        );
    });
  executions
    .command("describe")
    .description("status, input and output of one execution")
    .argument("<arn>", "execution ARN")
    .addOption(dataDirOption())
    .addOption(urlOption())
    .addOption(jsonOption())
    .action(async (arn: string, o: ClientOptions) => {
      const { $metadata: _m, ...e } = await (await client(o)).describeExecution(arn);
      if (o.json) return print(e);
      console.log(`${e.name}: ${e.status}${e.error ? ` (${e.error}: ${e.cause})` : ""}`);
      console.log(
        `  started ${iso(e.startDate)}${e.stopDate ? `, stopped ${iso(e.stopDate)}` : ""}`,
      );
      if (e.output) console.log(`  output ${e.output}`);
    });
  executions
    .command("history")
    .description("the execution's event history")
    .argument("<arn>", "execution ARN")
    .addOption(dataDirOption())
    .addOption(urlOption())
    .addOption(jsonOption())
    .action(async (arn: string, o: ClientOptions) => {
      const events = await (await client(o)).history(arn);
      if (o.json) return print({ events });
      for (const e of events) {
        const details = Object.entries(e).find(([k]) => k.endsWith("EventDetails"))?.[1] as
          | { name?: string; error?: string }
          | undefined;
        console.log(
          `${String(e.id).padStart(4)}  ${iso(e.timestamp)}  ${e.type}${details?.name ? `  ${details.name}` : ""}${details?.error ? `  ${details.error}` : ""}`,
        );
      }
    });

  const outbox = program.command("outbox").description("mail captured by the local SES outbox");
  outbox
    .command("list")
    .description("every captured email, oldest first")
    .addOption(dataDirOption())
    .addOption(urlOption())
    .addOption(jsonOption())
    .action(async (o: ClientOptions) => {
      const mails = (await (await client(o)).outbox()).map(outboxView);
      if (o.json) return print(mails);
      if (mails.length === 0) return console.log("The outbox is empty.");
      for (const m of mails) console.log(`${m.id}  ${m.at}  ${m.to.join(", ")}  ${m.subject}`);
    });
  outbox
    .command("open")
    .description("print one email's text")
    .argument("<id>", "message id (from `outbox list`)")
    .addOption(dataDirOption())
    .addOption(urlOption())
    .action(async (id: string, o: ClientOptions) => {
      const mail = (await (await client(o)).outbox()).find((m) => m.id === id);
      if (!mail) throw new Error(`No email ${id} in the outbox: see \`outbox list\``);
      console.log(
        `To: ${mail.to.join(", ")}\nSubject: ${mail.subject}\nDate: ${mail.at}\n\n${mail.text}`,
      );
    });
}
