/**
 * The shape every saga task handler shares: parse the event with zod (a wrong shape is a wiring
 * bug, reported as `TaskInputInvalid` naming the field), then run the domain step once per
 * idempotency key through Powertools. Handler files are one call to {@link sagaHandler}.
 */
import type { Context } from "aws-lambda";
import type * as z from "zod";
import { idempotentStep } from "../shared/idempotency.ts";
import { defaultDeps, type OrderDeps } from "./deps.ts";
import { TaskInputInvalid } from "./errors.ts";

/** A Lambda handler for one saga step. */
export type SagaHandler<R> = (event: unknown, context?: Context) => Promise<R>;

export function sagaHandler<S extends z.ZodType, R>(options: {
  /** The step's name, part of every idempotency key (`<orderId>#<step>`). */
  step: string;
  schema: S;
  /** The idempotency key of an event; undefined runs the step without a record. */
  key: (input: z.infer<S>) => string | undefined;
  run: (deps: OrderDeps, input: z.infer<S>) => Promise<R>;
}): SagaHandler<R> {
  // Results travel as JSON (Lambda's response, Powertools' stored record): drop `undefined`s now,
  // which Powertools' marshaller would otherwise refuse.
  const run = async (input: z.infer<S>): Promise<R> =>
    JSON.parse(JSON.stringify((await options.run(defaultDeps(), input)) ?? null)) as R;
  const once = idempotentStep(options.step, run);
  return async (event, context) => {
    const parsed = options.schema.safeParse(event);
    if (!parsed.success) {
      throw new TaskInputInvalid(
        `${options.step} got a malformed event: ${parsed.error.issues
          .map((i) => `${i.path.join(".") || "(event)"}: ${i.message}`)
          .join("; ")} — check the state's Arguments in stacks/order-saga.asl.json`,
      );
    }
    const key = options.key(parsed.data);
    if (key === undefined) return run(parsed.data);
    once.withContext(context);
    return once(key, parsed.data);
  };
}
