/**
 * A real crash of the durable runtime in the middle of a saga: the handler has done its effect, the
 * runtime stops before recording the answer (its result is dropped, as when the process dies), and
 * a new runtime on the same data directory resumes the execution — re-invoking the step, which
 * must not repeat its effect.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { HistoryEvent } from "../../local/asl/types.ts";
import { localDefinition } from "../../local/platform/functions.ts";
import {
  createRuntime,
  type Handler,
  type SfnRuntime,
  VirtualClock,
} from "../../local/sfn/index.ts";
import { orderInput, orderState, seedCatalogue, stockOf } from "./fixtures.ts";
import { path, sagaTaskHandlers } from "./harness.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function runtimeOn(dataDir: string, clock: VirtualClock, functions: Record<string, Handler>) {
  return createRuntime({
    dataDir,
    clock,
    accountId: "000000000000",
    functions: { ...functions, RequestApproval: async () => ({}) },
  });
}

async function settle(runtime: SfnRuntime, clock: VirtualClock, executionArn: string) {
  for (let i = 0; i < 600; i++) {
    await runtime.idle();
    const { status } = runtime.describeExecution({ executionArn });
    if (status !== "RUNNING") return status;
    await clock.advance(60_000);
  }
  throw new Error("still running");
}

describe("crash and resume of the durable runtime mid-saga", () => {
  it.each(["ReserveStock", "ChargePayment", "ShipOrder"] as const)(
    "after %s's effect: resumes, re-invokes it, and the effect happens once",
    async (step) => {
      const dataDir = mkdtempSync(join(tmpdir(), "saga-crash-"));
      dirs.push(dataDir);
      const cat = await seedCatalogue(10);
      const order = orderInput(cat);
      const clock = new VirtualClock(Date.UTC(2025, 0, 1));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let reached!: () => void;
      const effectDone = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const handlers = await sagaTaskHandlers();
      const real = handlers[step];
      const first = runtimeOn(dataDir, clock, {
        ...handlers,
        // Does the real work, then hangs until the runtime is going down: its answer is lost.
        [step]: async (event, context) => {
          const out = await real(event, context);
          reached();
          await gate;
          return out;
        },
      });
      const { stateMachineArn } = first.createStateMachine({
        name: "order-saga",
        definition: localDefinition(),
        roleArn: "arn:aws:iam::000000000000:role/order-saga",
      });
      const { executionArn } = await first.startExecution({
        stateMachineArn,
        name: order.orderId,
        input: JSON.stringify(order),
      });
      await effectDone;

      const closing = first.close();
      release();
      await closing;
      const later = new VirtualClock(clock.now());
      let reinvoked = 0;
      const second = runtimeOn(dataDir, later, {
        ...handlers,
        [step]: (event, context) => {
          reinvoked++;
          return real(event, context);
        },
      });
      try {
        const status = await settle(second, later, executionArn);

        expect(status).toBe("SUCCEEDED");
        expect(reinvoked).toBe(1);
        const events = second.getExecutionHistory({ executionArn, maxResults: 1000 })
          .events as unknown as HistoryEvent[];
        expect(path(events)).toEqual([
          "ValidateOrder",
          "ReserveStock",
          "NeedsApproval",
          "ChargePayment",
          "ShipOrder",
          "NotifyCustomer",
        ]);
        const state = await orderState(order.orderId);
        expect(state.order?.status).toBe("COMPLETED");
        expect(state.psp).toMatchObject({ charges: 1 });
        expect(state.refund).toBeUndefined();
        expect(await stockOf([cat.a, cat.b])).toEqual({
          [cat.a]: { available: 8, reserved: 0, shipped: 2 },
          [cat.b]: { available: 9, reserved: 0, shipped: 1 },
        });
      } finally {
        await second.close();
      }
    },
  );
});
