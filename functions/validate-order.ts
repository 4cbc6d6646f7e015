/**
 * ValidateOrder: checks the order (schema, catalogue, currency, line limit, 256 KiB), prices it and
 * records it as RECEIVED. Its order id must be the execution's name, so starting the same order
 * twice is answered by Step Functions itself (ExecutionAlreadyExists).
 */
import * as z from "zod";
import { OrderInvalid } from "./orders/errors.ts";
import { validateOrder } from "./orders/orders.ts";
import { sagaHandler } from "./orders/saga-handler.ts";
import { resource } from "./shared/resources.ts";

const event = z.object({ order: z.unknown(), executionName: z.string().min(1) });

export const handler = sagaHandler({
  step: "validate",
  schema: event,
  run: async (deps, { order, executionName }) => {
    const orderId = (order as { orderId?: unknown } | null)?.orderId;
    if (typeof orderId === "string" && orderId !== executionName) {
      throw new OrderInvalid([
        {
          field: "orderId",
          message: `is "${orderId}" but the execution is named "${executionName}"; start the saga with the order id as execution name`,
        },
      ]);
    }
    // The approval threshold and timeout come from the Settings link: without it this fails
    // (ResourceNotLinkedError naming Settings) rather than pricing against built-in defaults.
    return validateOrder(deps, order, resource("Settings"));
  },
});
