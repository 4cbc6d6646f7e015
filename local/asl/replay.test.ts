/**
 * Replay: the durable runtime rebuilds an execution by calling `start` and re-applying the recorded
 * events, so a replay must reproduce the live run's history and commands exactly — including ids,
 * randomness (States.UUID, jitter) and task tokens — whatever order tasks and timers complete in.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  advance,
  type Command,
  compile,
  type EngineEvent,
  type EngineServices,
  type StepResult,
  start,
} from "./index.ts";

const services: EngineServices = { mintTaskToken: (arn, id) => `${arn}/${id}` };
const LAMBDA = "arn:aws:states:::lambda:invoke";
const machine = compile({
  StartAt: "Id",
  States: {
    Id: {
      Type: "Pass",
      Next: "Fan",
      Parameters: { "id.$": "States.UUID()", "items.$": "$.items" },
    },
    Fan: {
      Type: "Parallel",
      Branches: [
        {
          StartAt: "Each",
          States: {
            Each: {
              Type: "Map",
              ItemsPath: "$.items",
              MaxConcurrency: 2,
              ItemProcessor: {
                StartAt: "Work",
                States: {
                  Work: {
                    Type: "Task",
                    Resource: LAMBDA,
                    Retry: [{ ErrorEquals: ["Flaky"], JitterStrategy: "FULL", MaxAttempts: 2 }],
                    End: true,
                  },
                },
              },
              End: true,
            },
          },
        },
        {
          StartAt: "Approve",
          States: {
            Approve: {
              Type: "Task",
              Resource: `${LAMBDA}.waitForTaskToken`,
              Parameters: { "token.$": "$$.Task.Token" },
              TimeoutSeconds: 50,
              Catch: [{ ErrorEquals: ["States.ALL"], Next: "Rejected" }],
              End: true,
            },
            Rejected: { Type: "Pass", Result: "rejected", End: true },
          },
        },
      ],
      End: true,
    },
  },
});

const params = {
  executionArn: "arn:aws:states:us-east-1:1:execution:sm:e",
  stateMachineArn: "arn:aws:states:us-east-1:1:stateMachine:sm",
  name: "e",
  input: { items: [1, 2, 3] },
  startTime: 0,
  seed: "replay",
};

/** Drives a live run, choosing which pending task or timer completes next from `choices`. */
async function live(choices: number[]): Promise<{ events: EngineEvent[]; steps: StepResult[] }> {
  const steps: StepResult[] = [await start(machine, params, services)];
  const pending: Command[] = [...(steps[0]?.commands ?? [])];
  const events: EngineEvent[] = [];
  let now = 0;
  let k = 0;
  while (steps.at(-1)?.status === "RUNNING" && pending.length > 0 && k < 200) {
    const i = (choices[k++ % choices.length] ?? 0) % pending.length;
    const cmd = pending.splice(i, 1)[0] as Command;
    let event: EngineEvent | undefined;
    now += 1000;
    if (cmd.kind === "timer") event = { type: "timerFired", id: cmd.id, at: Math.max(now, cmd.at) };
    else if (cmd.kind === "task") {
      event =
        k % 3 === 0
          ? { type: "taskFailed", id: cmd.id, error: "Flaky", at: now }
          : { type: "taskSucceeded", id: cmd.id, output: { ok: cmd.id }, at: now };
    }
    if (!event) continue;
    now = event.at;
    events.push(event);
    const r = await advance(machine, steps[0]?.snapshot as never, event, services);
    steps.push(r);
    for (const c of r.commands) {
      if (c.kind === "timer" || c.kind === "task") pending.push(c);
      else {
        const j = pending.findIndex(
          (p) => (p.kind === "timer" || p.kind === "task") && p.id === c.id,
        );
        if (j >= 0) pending.splice(j, 1);
      }
    }
  }
  return { events, steps };
}

const plain = (rs: StepResult[]) =>
  rs.map((r) => ({
    history: JSON.parse(JSON.stringify(r.history)),
    commands: r.commands,
    status: r.status,
    output: r.output,
  }));

describe("replay", () => {
  it("reproduces history and commands for any completion order", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(20), { minLength: 1, maxLength: 12 }), async (choices) => {
        const run = await live(choices);
        expect(run.events.length).toBeGreaterThan(0);
        const replay: StepResult[] = [await start(machine, params, services)];
        for (const e of run.events)
          replay.push(await advance(machine, replay[0]?.snapshot as never, e, services));
        expect(plain(replay)).toEqual(plain(run.steps));
      }),
      { numRuns: 40 },
    );
  });
});
