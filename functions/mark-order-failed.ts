/**
 * MarkOrderFailed: records the order as FAILED with a reason people can read, after the
 * compensations ran; returns the error name and reason the execution then fails with.
 * With a `taskToken` it is the saga's `ParkCompensation` step: a compensation ran out of retries,
 * so the order is recorded as COMPENSATION_FAILED and the token kept for an operator's retry
 * (functions/orders/compensation.ts).
 */
import * as z from "zod";
import { parkCompensation } from "./orders/compensation.ts";
import { markOrderFailed } from "./orders/orders.ts";
import { sagaHandler } from "./orders/saga-handler.ts";

const failure = z.object({ step: z.string(), error: z.string(), cause: z.string().optional() });

export const handler = sagaHandler({
  step: "mark-failed",
  schema: z.object({
    orderId: z.string().min(1),
    failure,
    compensation: z
      .object({ error: z.string().optional(), cause: z.string().optional() })
      .optional(),
    taskToken: z.string().min(1).optional(),
  }),
  run: (deps, { orderId, failure, compensation, taskToken }) =>
    taskToken
      ? parkCompensation(deps, orderId, failure, compensation ?? {}, taskToken)
      : markOrderFailed(deps, orderId, failure),
});
