/**
 * MarkOrderFailed: records the order as FAILED with a reason people can read, after the
 * compensations ran; returns the error name and reason the execution then fails with.
 */
import * as z from "zod";
import { markOrderFailed } from "./orders/orders.ts";
import { sagaHandler } from "./orders/saga-handler.ts";

export const handler = sagaHandler({
  step: "mark-failed",
  schema: z.object({
    orderId: z.string().min(1),
    failure: z.object({ step: z.string(), error: z.string(), cause: z.string().optional() }),
  }),
  run: (deps, { orderId, failure }) => markOrderFailed(deps, orderId, failure),
});
