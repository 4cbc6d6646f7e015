/**
 * `countersign asl fuzz`: runs a definition again and again on the runtime users run, each time
 * with faults injected at its Task states (errors, timeouts, duplicate deliveries, crash and
 * resume of the runtime) on the virtual clock, and checks the user's invariants after each
 * execution ends. The first violation is shrunk to a minimal schedule that still violates, and
 * reported with the command that replays it.
 *
 * The user gives two modules: handlers (default export: Lambda handlers by function name) and
 * invariants (`check(run)` → violations; optional `input({ run, random })`, `setup()`,
 * `teardown()`), as named exports or a default object. Every execution must also END: one still
 * running after the horizon (60 virtual days) is a violation, as is an error the runtime reports.
 */

import { randomBytes } from "node:crypto";
import type { FunctionMap, LambdaContext } from "../sfn/index.ts";
import { openTaskTokens } from "../testing/open-tokens.ts";
import { FuzzWorld } from "./fuzz-world.ts";
import { drawSchedule, type Fault, runSeed, seeded, shrink, type TaskInfo } from "./schedule.ts";
import { taskStates } from "./task-states.ts";

/** What the invariants see of one execution. */
export interface FuzzRun {
  /** The run's number in the session (its input and schedule follow from it and the seed). */
  index: number;
  executionArn: string;
  input: unknown;
  schedule: Fault[];
  status: string;
  error?: string;
  cause?: string;
  output?: unknown;
  /** The states entered, in order. */
  path: string[];
  history: { type: string; id: number; previousEventId?: number; [details: string]: unknown }[];
}

export interface Invariants {
  setup?(): unknown;
  teardown?(): unknown;
  /**
   * The execution input of run `run` (default `{}`); draw choices from `random`, not Math.random.
   * `executionName` is the name the execution will have (unique per attempt).
   */
  input?(ctx: { run: number; random: () => number; executionName: string }): unknown;
  /**
   * Who answers callbacks, by state name: when the execution waits on a `.waitForTaskToken` task
   * of one of these states, its answer is sent (SendTaskSuccess) right away; `undefined` sends
   * nothing (the task's timeout, if any, decides). States not listed are never answered.
   */
  callbacks?: Record<string, (ctx: { input: unknown; parameters: unknown }) => unknown>;
  /**
   * The most invocations in a row a fault may hit, by state: e.g. `{ MarkOrderFailed: 20 }` keeps
   * that state's retries from running out (a step you accept needs a person when they do).
   */
  maxFaultsInARow?: Record<string, number>;
  /** Violations (empty when every invariant holds). */
  check(run: FuzzRun): string[] | Promise<string[]>;
}

export interface FuzzOptions {
  definition: string;
  /** Handlers by function name; any event type (the definition decides what they get). */
  handlers: FunctionMap | Record<string, (event: never, context: LambdaContext) => unknown>;
  invariants: Invariants;
  runs: number;
  seed: number;
  /** Replay: only this run, with this schedule. */
  replay?: { run: number; schedule: Fault[] };
  onProgress?: (p: { done: number; runs: number; violations: number }) => void;
}

export interface FuzzViolation {
  run: number;
  schedule: Fault[];
  violations: string[];
  /** The smallest schedule found that still violates, its violations, and candidates tried. */
  shrunk: { schedule: Fault[]; violations: string[]; tries: number };
}

export interface FuzzReport {
  runs: number;
  faultsInjected: number;
  crashes: number;
  outcomes: Record<string, number>;
  violation?: FuzzViolation;
  tasks: TaskInfo[];
}

const HORIZON_MS = 60 * 86_400_000;

export async function fuzz(o: FuzzOptions): Promise<FuzzReport> {
  const tasks = taskStates(JSON.parse(o.definition));
  const world = new FuzzWorld(o.definition, o.handlers as FunctionMap);
  await o.invariants.setup?.();
  const report: FuzzReport = { runs: 0, faultsInjected: 0, crashes: 0, outcomes: {}, tasks };
  let attempt = 0;
  // Unique per session, so sessions sharing the handlers' data never reuse an execution name.
  const session = randomBytes(3).toString("hex");
  const runOne = async (index: number, schedule: Fault[]) => {
    const seed = runSeed(o.seed, index);
    const executionName = `fuzz-${session}-${index}-${attempt++}`;
    const random = seeded(seed ^ 0x5bd1e995);
    const input = (await o.invariants.input?.({ run: index, random, executionName })) ?? {};
    const run = await execute(world, executionName, input, schedule, o.invariants.callbacks ?? {});
    const fuzzRun = { ...run, index, schedule };
    const violations = [...run.problems, ...(await o.invariants.check(fuzzRun))];
    return { run: fuzzRun, violations };
  };
  try {
    const indexes = o.replay ? [o.replay.run] : Array.from({ length: o.runs }, (_, i) => i);
    for (const index of indexes) {
      const schedule =
        o.replay?.schedule ??
        drawSchedule(seeded(runSeed(o.seed, index)), tasks, o.invariants.maxFaultsInARow);
      const crashesBefore = world.crashes;
      const injectedBefore = world.faults.injected;
      const { run, violations } = await runOne(index, schedule);
      report.runs++;
      report.faultsInjected += world.faults.injected - injectedBefore;
      report.crashes += world.crashes - crashesBefore;
      const outcome = run.error ? `${run.status} ${run.error}` : run.status;
      report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
      o.onProgress?.({
        done: report.runs,
        runs: indexes.length,
        violations: violations.length ? 1 : 0,
      });
      if (violations.length > 0) {
        let last = violations;
        const shrunk = await shrink(schedule, async (candidate) => {
          const again = await runOne(index, candidate);
          if (again.violations.length > 0) last = again.violations;
          return again.violations.length > 0;
        });
        report.violation = {
          run: index,
          schedule,
          violations,
          shrunk: { ...shrunk, violations: shrunk.schedule === schedule ? violations : last },
        };
        break;
      }
    }
  } finally {
    await world.close();
    await o.invariants.teardown?.();
  }
  return report;
}

/** Runs one execution under `schedule` to its end (or the horizon) and reads it back. */
async function execute(
  world: FuzzWorld,
  name: string,
  input: unknown,
  schedule: Fault[],
  callbacks: NonNullable<Invariants["callbacks"]>,
) {
  world.faults.arm(name, schedule);
  const errorsBefore = world.errors.length;
  const { executionArn } = await world.runtime.startExecution({
    stateMachineArn: world.stateMachineArn,
    name,
    input: JSON.stringify(input),
  });
  const deadline = world.clock.now() + HORIZON_MS;
  const problems: string[] = [];
  const answered = new Set<string>();
  for (;;) {
    await world.settle();
    if (world.runtime.describeExecution({ executionArn }).status !== "RUNNING") break;
    if (await answer(world, executionArn, input, callbacks, answered)) continue;
    const at = world.clock.nextAt();
    if (at === undefined || at > deadline) {
      problems.push(
        `the execution did not end: still RUNNING ${at === undefined ? "with nothing left to run (a callback nobody sends?)" : "after 60 virtual days"}`,
      );
      break;
    }
    await world.clock.runNext();
  }
  world.faults.arm("", []);
  problems.push(...world.errors.slice(errorsBefore).map((e) => `the runtime reported: ${e}`));
  const d = world.runtime.describeExecution({ executionArn });
  const history = historyOf(world, executionArn);
  const path = history
    .filter((e) => e.type.endsWith("StateEntered"))
    .map((e) => (e.stateEnteredEventDetails as { name: string }).name);
  return {
    executionArn,
    input,
    status: d.status as string,
    ...(d.error !== undefined ? { error: d.error } : {}),
    ...(d.cause !== undefined ? { cause: d.cause } : {}),
    ...(d.output !== undefined ? { output: JSON.parse(d.output as string) } : {}),
    path,
    history,
    problems,
  };
}

/** Sends the callbacks' answers to the execution's open task tokens; whether it sent any. */
async function answer(
  world: FuzzWorld,
  executionArn: string,
  input: unknown,
  callbacks: NonNullable<Invariants["callbacks"]>,
  answered: Set<string>,
): Promise<boolean> {
  if (Object.keys(callbacks).length === 0) return false;
  let sent = false;
  for (const open of openTaskTokens(world.runtime, historyOf(world, executionArn))) {
    const respond = callbacks[open.state];
    if (!respond || answered.has(open.token)) continue;
    answered.add(open.token);
    const output = await respond({ input, parameters: open.parameters });
    if (output === undefined) continue;
    await world.runtime.sendTaskSuccess({ taskToken: open.token, output: JSON.stringify(output) });
    sent = true;
  }
  return sent;
}

function historyOf(world: FuzzWorld, executionArn: string): FuzzRun["history"] {
  const history: FuzzRun["history"] = [];
  let nextToken: string | undefined;
  do {
    const page = world.runtime.getExecutionHistory({ executionArn, maxResults: 1000, nextToken });
    history.push(...(page.events as unknown as FuzzRun["history"]));
    nextToken = page.nextToken;
  } while (nextToken);
  return history;
}
