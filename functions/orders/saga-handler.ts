/**
 * The shape every saga task handler shares: parse the event with zod (a wrong shape is a wiring
 * bug, reported as `TaskInputInvalid` naming the field), then run the domain step. Handler files
 * are one call to {@link sagaHandler}.
 *
 * Idempotency: a step whose effect is a conditional write (reserve, charge, ship, the
 * compensations, validate) is idempotent by that condition, and a repeat answers from what is
 * stored, so it needs no Powertools record: a record costs two more writes per step (half of an
 * order's DynamoDB writes) and only repeats a guard the step already has. A step whose effect has
 * no guard of its own — an email — passes `key` and runs once per key through Powertools.
 *
 * Errors: a dependency that is down, slow or throttling (DynamoDB unreachable, a timeout) leaves
 * as `TransientInfrastructureError` (functions/shared/transient.ts), which every state of the saga
 * retries for minutes; everything else keeps its own name.
 */
import type { Context } from "aws-lambda";
import type * as z from "zod";
import { idempotentStep } from "../shared/idempotency.ts";
import { surfaceTransient } from "../shared/transient.ts";
import { defaultDeps, type OrderDeps } from "./deps.ts";
import { TaskInputInvalid } from "./errors.ts";

/** A Lambda handler for one saga step. */
export type SagaHandler<R> = (event: unknown, context?: Context) => Promise<R>;

export function sagaHandler<S extends z.ZodType, R>(options: {
  /** The step's name, part of every idempotency key (`<orderId>#<step>`). */
  step: string;
  schema: S;
  /**
   * Only for a step whose effect has no guard of its own: the idempotency key of an event, under
   * which Powertools stores the result (a repeat returns it without running the step again).
   */
  key?: (input: z.infer<S>) => string;
  run: (deps: OrderDeps, input: z.infer<S>) => Promise<R>;
}): SagaHandler<R> {
  // Results travel as JSON (Lambda's response, Powertools' stored record): drop `undefined`s now,
  // which Powertools' marshaller would otherwise refuse.
  const run = async (input: z.infer<S>): Promise<R> =>
    JSON.parse(JSON.stringify((await options.run(defaultDeps(), input)) ?? null)) as R;
  const once = options.key ? idempotentStep(options.step, run) : undefined;
  return async (event, context) => {
    const parsed = options.schema.safeParse(event);
    if (!parsed.success) {
      throw new TaskInputInvalid(
        `${options.step} got a malformed event: ${parsed.error.issues
          .map((i) => `${i.path.join(".") || "(event)"}: ${i.message}`)
          .join("; ")} — check the state's Arguments in stacks/order-saga.asl.json`,
      );
    }
    try {
      if (!once || !options.key) return await run(parsed.data);
      once.withContext(context);
      return await once(options.key(parsed.data), parsed.data);
    } catch (error) {
      throw surfaceTransient(error);
    }
  };
}
