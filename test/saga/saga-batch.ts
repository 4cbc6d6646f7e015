/**
 * A batch of concurrent order sagas competing for the same stock, each under its own fault plan,
 * on a SagaWorld (the real runtime, the real handlers, DynamoDB Local), with the approver
 * deciding from the approval emails; then the invariants (saga-invariants.ts). Shared by the
 * property test (fast-check generates the plans) and `npm run soak` (seeded sampling). Batches
 * run one after another on a world (its runtime and data directory live on, as a platform's do),
 * so a crash during a batch only ever interrupts that batch's sagas.
 *
 * Time: the runtime's virtual clock jumps an hour at a time once nothing is in flight and nobody
 * has a decision to make, so retries and backoffs run in order and a 24-hour approval wait times
 * out in 25 jumps. Each jump fires every due timer in order, settling after each.
 */
import type { HistoryEvent } from "../../local/asl/types.ts";
import { Approver, type Click } from "./approver.ts";
import { type Crash, type Fault, FaultInjector } from "./faults.ts";
import { orderInput, seedCatalogue, TEST_PAYMENT_METHODS, uid } from "./fixtures.ts";
import { path } from "./harness.ts";
import { sagaFunctions } from "./platform-wiring.ts";
import { checkBatch } from "./saga-invariants.ts";
import { SagaWorld } from "./saga-world.ts";

export type Card = keyof typeof TEST_PAYMENT_METHODS;

export interface OrderPlan {
  /** Lines by SKU index (0..2, distinct) and quantity. */
  lines: { sku: number; quantity: number }[];
  card: Card;
  country: "DE" | "AQ";
  needsApproval: boolean;
  /** What the approver does with the request; `timeout`: nothing, for 24 hours. */
  approval: "approve" | "reject" | "timeout";
  faults: Fault[];
  crashes: Crash[];
}

export interface BatchPlan {
  /** Initial available units of the three SKUs. */
  stock: [number, number, number];
  orders: OrderPlan[];
  /** The runtime also dies (and resumes) while orders wait for their approver's click. */
  crashWhileWaiting: boolean;
}

/** What happened to one order. */
export interface SagaRun {
  orderId: string;
  plan: OrderPlan;
  status: string;
  error?: string;
  cause?: string;
  /** The execution's history, as GetExecutionHistory returns it. */
  history: HistoryEvent[];
  /** The states the execution entered, in order. */
  path: string[];
  /** Approval emails the approver received for it. */
  requests: number;
  /** The approver's decision clicks, in order. */
  clicks: Click[];
  /** A click on a timed-out request's link after the saga ended (it must be refused). */
  lateClick?: Click;
}

export interface BatchOutcome {
  sagas: number;
  /** Runtime crashes (each followed by a resume) during the batch. */
  crashes: number;
  violations: string[];
  runs: SagaRun[];
}

/** A world whose handlers fail as each order's plan says. */
export interface FaultWorld {
  world: SagaWorld;
  faults: FaultInjector;
}

/**
 * Two fault-free orders, one approved through the API: the first invocation of each handler and
 * of the API loads SDK clients, credentials and the IAM simulator's data, which on a busy machine
 * can outlast the fault runs' short function timeout (faults.ts) and look like a fault nobody
 * planned.
 */
const WARM_UP: BatchPlan = {
  stock: [10, 10, 10],
  crashWhileWaiting: false,
  orders: [true, false].map((needsApproval) => ({
    lines: [{ sku: 0, quantity: 1 }],
    card: "succeeds",
    country: "DE",
    needsApproval,
    approval: "approve",
    faults: [],
    crashes: [],
  })),
};

/** Opens a world for batches (a new data directory, the topology's handlers behind faults). */
export async function openFaultWorld(): Promise<FaultWorld> {
  const faults = new FaultInjector();
  const functions = await sagaFunctions();
  const fw = { world: new SagaWorld((crash) => faults.wrap(functions, crash)), faults };
  const warm = await runBatch(fw, WARM_UP);
  if (warm.violations.length > 0 || warm.runs.some((r) => r.status !== "SUCCEEDED")) {
    await fw.world.close();
    throw new Error(`the warm-up orders did not succeed: ${warm.violations.join("; ")}`);
  }
  return fw;
}

const HOUR = 3_600_000;
/** The approval's 24 hours, retries and compensations: a saga still running after this is stuck. */
const HORIZON_HOURS = 30;

/** Whether the approver's decision went through (the outcome page, not a refusal). */
export function accepted(run: SagaRun): Click | undefined {
  return run.clicks.find((c) => c.status === 200);
}

/** Runs every order of the batch concurrently on `fw`, then checks the invariants. */
export async function runBatch(fw: FaultWorld, plan: BatchPlan): Promise<BatchOutcome> {
  const { world, faults } = fw;
  const crashesBefore = world.crashes;
  const errorsBefore = world.errors.length;
  const startedAt = new Date();
  const cat = await seedCatalogue(plan.stock);
  const skus = [cat.a, cat.b, cat.big];
  const inputs = plan.orders.map((o) =>
    orderInput(cat, {
      orderId: uid("prop"),
      lines: o.lines.map((l) => ({ sku: skus[l.sku] as string, quantity: l.quantity })),
      payment: { method: TEST_PAYMENT_METHODS[o.card] },
      shipping: { line1: "1 Way", city: "Town", postalCode: "1", country: o.country },
      // Per order, as the execution input allows; the timeout is the Settings link's 24 hours.
      approvalThreshold: o.needsApproval ? 0 : 1_000_000,
    }),
  );
  const runs: SagaRun[] = inputs.map((input, i) => ({
    orderId: input.orderId,
    plan: plan.orders[i] as OrderPlan,
    status: "NOT_STARTED",
    history: [],
    path: [],
    requests: 0,
    clicks: [],
  }));
  for (const run of runs) faults.plan(run.orderId, run.plan);
  const approver = new Approver(process.env.AWS_ENDPOINT_URL_SESV2 as string, startedAt);
  try {
    const arns = new Map<string, string>();
    for (const input of inputs) arns.set(input.orderId, await world.start(input));
    const status = (r: SagaRun) =>
      world.runtime.describeExecution({ executionArn: arns.get(r.orderId) as string });
    let crashedWhileWaiting = false;
    for (let hours = 0; ; ) {
      await world.settle();
      const running = runs.filter((r) => status(r).status === "RUNNING");
      if (running.length === 0) break;
      const deciding = running.filter(
        (r) => r.plan.needsApproval && r.plan.approval !== "timeout" && !accepted(r),
      );
      const mail = deciding.length ? await approver.newRequests(ids(deciding)) : new Map();
      if (mail.size > 0 && plan.crashWhileWaiting && !crashedWhileWaiting) {
        crashedWhileWaiting = true;
        await world.crash();
        await world.settle();
      }
      for (const run of deciding) {
        for (const m of mail.get(run.orderId) ?? []) {
          run.requests++;
          if (accepted(run)) continue;
          const decision = run.plan.approval === "reject" ? "reject" : "approve";
          run.clicks.push(await approver.click((r) => world.fetch(r), m, decision));
        }
      }
      if (mail.size > 0) continue;
      if (hours++ >= HORIZON_HOURS) break;
      await world.advance(HOUR);
    }
    await clickLate(world, approver, runs);
    for (const run of runs) {
      const d = status(run);
      run.status = d.status;
      if (d.error !== undefined) run.error = d.error;
      if (d.cause !== undefined) run.cause = d.cause;
      run.history = history(world, arns.get(run.orderId) as string);
      run.path = path(run.history);
    }
  } finally {
    await faults.drained();
    for (const run of runs) faults.forget(run.orderId);
  }
  const violations = [
    ...world.errors.slice(errorsBefore).map((e) => `runtime reported an error: ${e}`),
    ...(await checkBatch(plan, skus, runs)),
  ];
  return { sagas: runs.length, crashes: world.crashes - crashesBefore, violations, runs };
}

function ids(runs: SagaRun[]): Set<string> {
  return new Set(runs.map((r) => r.orderId));
}

/**
 * The approver of a timed-out request clicks Approve after all: the approval service still finds
 * it pending by its own clock, and Step Functions answers that the task is gone. The click must be
 * refused and change nothing.
 */
async function clickLate(world: SagaWorld, approver: Approver, runs: SagaRun[]): Promise<void> {
  const late = runs.filter((r) => r.plan.needsApproval && r.plan.approval === "timeout");
  if (late.length === 0) return;
  const mail = await approver.newRequests(ids(late));
  for (const run of late) {
    const requests = mail.get(run.orderId) ?? [];
    run.requests += requests.length;
    const last = requests.at(-1);
    if (last) run.lateClick = await approver.click((r) => world.fetch(r), last, "approve");
  }
  await world.settle();
}

function history(world: SagaWorld, executionArn: string): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = world.runtime.getExecutionHistory({ executionArn, maxResults: 1000, nextToken });
    events.push(...(page.events as unknown as HistoryEvent[]));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
