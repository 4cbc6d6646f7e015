/** `countersign orders place|list`, on the local platform or a deployed stage. */
import type { Command } from "commander";
import { CliInputError } from "./errors.ts";
import { print } from "./output.ts";
import { connect, type TargetOptions, targetOptions } from "./target.ts";

// Loaded when used, like the clients (target.ts): `--help` and other commands need neither.
const demoOrderNow = async () => {
  const { demoOrder, newDemoOrderId } = await import("../platform/demo.ts");
  return demoOrder(newDemoOrderId(new Date()));
};
const readOrder = async (file: string) => (await import("./files.ts")).readOrderFile(file);

export function registerOrderCommands(program: Command): void {
  const orders = program.command("orders").description("place and list orders");
  const place = orders
    .command("place")
    .description(
      "check an order against the catalogue and start the order saga for it (a JSON file, or --demo); placing the same order again starts nothing and shows its status",
    )
    .argument("[file]", 'order JSON file (format: README.md, "The command line")')
    .option("--demo", "place the demo order (2 laptops, needs approval; local platform only)");
  targetOptions(place).action(
    async (file: string | undefined, o: TargetOptions & { demo?: boolean }) => {
      if (!file && !o.demo) throw new CliInputError("orders place needs an order file or --demo");
      // The demo order's people exist only locally (and SES would refuse them on a stage).
      if (o.demo && o.stage !== undefined)
        throw new CliInputError(
          "--demo places the local demo order: on a stage pass an order file",
        );
      const order = o.demo ? await demoOrderNow() : await readOrder(file as string);
      const placed = await (await connect(place, o)).placeOrder(order);
      if (o.json) return print(placed);
      if (placed.started)
        return console.log(`Placed ${placed.orderId}\n  execution: ${placed.executionArn}`);
      const reason = placed.failureReason ? ` — ${placed.failureReason}` : "";
      console.log(
        [
          `Order ${placed.orderId} was placed before; this is a repeat and nothing new was started.`,
          `  order:     ${placed.orderStatus}${reason}`,
          `  execution: ${placed.executionStatus}  ${placed.executionArn}`,
        ].join("\n"),
      );
    },
  );

  const list = orders.command("list").description("list orders, newest first");
  targetOptions(list).action(async (o: TargetOptions) => {
    const items = await (await connect(list, o)).listOrders();
    if (o.json) return print(items);
    if (items.length === 0)
      return console.log("No orders yet: place one with `orders place <file>`");
    for (const i of items)
      console.log(`${i.orderId}  ${String(i.status).padEnd(18)} ${i.createdAt}`);
  });
}
