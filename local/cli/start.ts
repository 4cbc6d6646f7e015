/** `countersign start`: the whole platform on 127.0.0.1, by default with the demo shop. */
import { setTimeout as sleep } from "node:timers/promises";
import { type Command, Option } from "commander";
import { DEFAULT_DATA_DIR } from "../platform/data-dir.ts";
import { demoOrder, newOrderId } from "../platform/demo.ts";
import { PlatformClient } from "./local-client.ts";

export const DEFAULT_PORT = 8787;

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

interface StartOptions {
  dataDir: string;
  port: number;
  demo: boolean;
  repair?: boolean;
  restoreBackup?: boolean;
}

export function registerStartCommand(program: Command): void {
  program
    .command("start")
    .description(
      "run the whole platform on 127.0.0.1, with the demo catalogue and a demo order waiting for approval",
    )
    .addOption(
      new Option("--data-dir <dir>", "data directory of the platform").default(DEFAULT_DATA_DIR),
    )
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
    .option(
      "--no-demo",
      "no demo data: an empty catalogue and no demo order, as a freshly deployed stage",
    )
    .option(
      "--repair",
      "if the Step Functions store fails its checks: keep everything consistent, list what was lost, then start",
    )
    .option(
      "--restore-backup",
      "restore the newest automatic backup of the Step Functions store, then start",
    )
    .action(async (o: StartOptions) => {
      const started = performance.now();
      // Loaded here, not at the top: every other command starts faster without the whole platform.
      const { startPlatform } = await import("../platform/start.ts");
      const platform = await startPlatform({
        dataDir: o.dataDir,
        port: o.port,
        demo: o.demo,
        ...(o.restoreBackup
          ? { recover: "backup" as const }
          : o.repair
            ? { recover: "repair" as const }
            : {}),
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
      } else {
        console.log(
          "\nNo demo data: import products with `npx countersign catalogue import <file.csv|json>`.",
        );
      }
      console.log("\nPress Ctrl-C to stop.");
    });
}
