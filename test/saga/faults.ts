/**
 * Faults at the boundary of the saga's Lambda handlers, planned per order. The runtime invokes a
 * wrapper; the wrapper decides, from the order's plan and how often this function ran for it,
 * what Lambda would have done:
 *
 * - `before`: the invocation fails before the handler runs (`Lambda.ServiceException`);
 * - `after`: the handler runs (its effect happens) and its answer is lost (`Lambda.Unknown`);
 * - `twice`: the event is delivered twice in a row; `twiceConcurrent`: twice at once (the second
 *   answer counts);
 * - `timeout`: the handler runs, and its answer comes after the function's deadline, so the
 *   runtime reports `Sandbox.Timedout` (its own timer, in real time: see FAULT_TIMEOUT_SECONDS).
 *
 * A crash point kills the runtime during one of the order's invocations — before its handler runs,
 * or after its effect — so that invocation's answer is never recorded (SagaWorld reopens the data
 * directory and resumes). The injected errors carry the names Lambda reports, so the definition's
 * Retry and Catch rules see exactly what they would see on AWS.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { FunctionConfig, FunctionMap, Handler, LambdaContext } from "../../local/sfn/index.ts";
import type { FunctionName } from "../../stacks/topology.ts";

export type FaultKind = "before" | "after" | "twice" | "twiceConcurrent" | "timeout";

/** `times` consecutive invocations of `fn` for one order (from its `from`-th, 0-based) get `kind`. */
export interface Fault {
  fn: FunctionName;
  kind: FaultKind;
  from: number;
  times: number;
}

/** The runtime dies during the order's `at`-th invocation (0-based, any function). */
export interface Crash {
  at: number;
  /** Whether the handler ran (its effect happened) before the runtime died. */
  afterEffect: boolean;
}

export interface OrderFaults {
  faults: Fault[];
  crashes: Crash[];
}

/**
 * Each function's timeout in the fault runs. The topology gives 30 s, and the runtime enforces
 * it with a real timer (a handler blocks the event loop, not the virtual clock): a timeout fault
 * costs its function's whole timeout in wall time, so the fault runs shorten it. Handlers on
 * DynamoDB Local answer in tens of milliseconds once warm (saga-batch.ts warms them up); two
 * seconds leave room for a machine busy with other work.
 */
export const FAULT_TIMEOUT_SECONDS = 2;

/** The error Lambda's service reports when an invocation fails before reaching the handler. */
export class LambdaServiceFault extends Error {
  override name = "Lambda.ServiceException";
}

/** What Step Functions reports when an invocation's answer is lost on the way back. */
export class LostAnswerFault extends Error {
  override name = "Lambda.Unknown";
}

interface OrderState {
  plan: OrderFaults;
  invocations: number;
  calls: Map<string, number>;
}

/** The order a saga task's event belongs to (ValidateOrder gets the whole order). */
function orderIdOf(event: unknown): string | undefined {
  const e = event as { orderId?: unknown; order?: { orderId?: unknown } } | null;
  const id = e?.orderId ?? e?.order?.orderId;
  return typeof id === "string" ? id : undefined;
}

/** Applies each order's fault plan to the handlers of one world. */
export class FaultInjector {
  private readonly orders = new Map<string, OrderState>();
  private readonly running = new Set<Promise<unknown>>();

  /** Plans the faults of an order; an order without a plan runs unharmed. */
  plan(orderId: string, plan: OrderFaults): void {
    this.orders.set(orderId, { plan, invocations: 0, calls: new Map() });
  }

  /** Forgets an order's plan (its saga ended). */
  forget(orderId: string): void {
    this.orders.delete(orderId);
  }

  /**
   * Resolves once no handler runs: the runtime stops waiting at a timeout or a crash, but the
   * handler goes on (as a request already sent goes on), and its effect must land before anyone
   * checks the invariants.
   */
  async drained(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /**
   * The functions with every handler behind the injector, each with the fault runs' timeout, for
   * one runtime. `crash` kills that runtime and resolves once it no longer records answers.
   */
  wrap(functions: FunctionMap, crash: () => Promise<void>): FunctionMap {
    return Object.fromEntries(
      Object.entries(functions).map(([name, fn]) => {
        const config: FunctionConfig = typeof fn === "function" ? { handler: fn } : fn;
        return [
          name,
          {
            ...config,
            timeoutSeconds: FAULT_TIMEOUT_SECONDS,
            handler: this.handler(name, config.handler, crash),
          },
        ];
      }),
    );
  }

  private handler(fn: string, real: Handler, crash: () => Promise<void>): Handler {
    return (event, context) => {
      const run = this.run(fn, real, crash, event, context);
      this.running.add(run);
      void run.catch(() => undefined).finally(() => this.running.delete(run));
      return run;
    };
  }

  private async run(
    fn: string,
    real: Handler,
    crash: () => Promise<void>,
    event: unknown,
    context: LambdaContext,
  ): Promise<unknown> {
    const id = orderIdOf(event);
    const order = id === undefined ? undefined : this.orders.get(id);
    if (!order) return real(event, context);
    const n = order.invocations++;
    const dies = order.plan.crashes.find((c) => c.at === n);
    if (dies && !dies.afterEffect) {
      // The process is gone before the handler started: whatever this returns is never read.
      await crash();
      return null;
    }
    const k = order.calls.get(fn) ?? 0;
    order.calls.set(fn, k + 1);
    const kind = order.plan.faults.find(
      (f) => f.fn === fn && k >= f.from && k < f.from + f.times,
    )?.kind;
    try {
      return await this.invoke(kind, real, event, context);
    } finally {
      // Dies with the answer (or error) in hand: the runtime never records it.
      if (dies) await crash();
    }
  }

  private async invoke(
    kind: FaultKind | undefined,
    real: Handler,
    event: unknown,
    context: LambdaContext,
  ): Promise<unknown> {
    // Each delivery deserializes its own copy of the event, as Lambda does.
    const once = () => Promise.resolve(real(structuredClone(event), context));
    switch (kind) {
      case undefined:
        return once();
      case "before":
        throw new LambdaServiceFault("injected: the invocation failed before the handler ran");
      case "after":
        await once().catch(() => undefined);
        throw new LostAnswerFault("injected: the handler ran and its answer was lost");
      case "twice":
        await once().catch(() => undefined);
        return once();
      case "twiceConcurrent": {
        const [, second] = await Promise.allSettled([once(), once()]);
        if (second.status === "rejected") throw second.reason;
        return second.value;
      }
      case "timeout": {
        const answer = await once().then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        // Past the deadline the runtime has given up on this invocation and reported
        // Sandbox.Timedout; the late answer goes nowhere, as with a sandbox Lambda froze.
        await sleep(context.getRemainingTimeInMillis() + 100);
        if ("error" in answer) throw answer.error;
        return answer.value;
      }
    }
  }
}
