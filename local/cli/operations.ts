/**
 * Operator commands: `status` (which part of the running platform is up, and orders that need a
 * person) and `orders retry-compensation <id>` (run a parked compensation again). Registered
 * after the platform commands, whose `orders` group the second one joins.
 */
import { type Command, Option } from "commander";
import { DEFAULT_DATA_DIR } from "../platform/data-dir.ts";
import { platformStatus } from "../platform/health.ts";

interface Options {
  dataDir: string;
  url?: string;
  json?: boolean;
}

const dataDir = () =>
  new Option("--data-dir <dir>", "data directory of the platform").default(DEFAULT_DATA_DIR);
const url = () => new Option("--url <url>", "API URL of the platform (must match --data-dir)");
const json = () => new Option("--json", "print JSON for scripts");
const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/** The local client, loaded when a command runs (the SDK clients are most of a start-up). */
async function localClient(dataDir: string, url?: string) {
  const { PlatformClient } = await import("./local-client.ts");
  return PlatformClient.connect(dataDir, url);
}

export function registerOperationCommands(program: Command): void {
  program
    .command("status")
    .description("which part of the running platform is up; orders that need a person")
    .addOption(dataDir())
    .addOption(json())
    .action(async (o: Options) => {
      const status = await platformStatus(o.dataDir);
      // Orders live in DynamoDB: when it is down there is nothing to list, and the parts say why.
      const attention = status.parts.find((p) => p.part === "dynamodb")?.up
        ? (await (await localClient(o.dataDir)).listOrders()).filter(
            (order) => order.status === "COMPENSATION_FAILED",
          )
        : [];
      if (!status.up) process.exitCode = 1;
      if (o.json) return print({ ...status, needsAttention: attention.map((a) => a.orderId) });
      console.log(
        `Countersign platform in ${status.dataDir}: ${status.up ? "up" : "DEGRADED — see below"}`,
      );
      for (const p of status.parts) {
        console.log(
          `  ${p.label.padEnd(17)} ${(p.url ?? "").padEnd(24)} ${p.up ? "up" : "DOWN"}  ${p.detail}`,
        );
      }
      for (const order of attention) {
        console.log(
          `Needs a person: order ${order.orderId} (COMPENSATION_FAILED) — ${order.failureReason ?? ""}`,
        );
      }
    });

  const orders = program.commands.find((c) => c.name() === "orders");
  if (!orders) throw new Error("register the platform commands before the operation commands");
  orders
    .command("retry-compensation")
    .description("run again the compensations of an order parked as COMPENSATION_FAILED")
    .argument("<orderId>", "the order (from `orders list` or `status`)")
    .addOption(dataDir())
    .addOption(url())
    .addOption(json())
    .action(async (orderId: string, o: Options) => {
      const client = await localClient(o.dataDir, o.url);
      const result = await client.retryCompensation(orderId);
      if (o.json) return print(result);
      console.log(
        `Retrying the compensations of ${orderId}: follow it with \`orders list\` or \`executions list\``,
      );
    });
}
