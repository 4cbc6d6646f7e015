/**
 * `countersign executions advance <arn|name> --by 25h | --to <iso>`: time travel for ONE
 * execution of the local platform — its waits, task timeouts, heartbeats and retry back-offs fire
 * as if that time had passed; every other execution keeps the clock. It calls the platform's
 * local-only wire operation `AWSStepFunctions.CountersignAdvanceExecution` (local/sfn/README.md,
 * "Time travel"); a deployed stage has no such thing, so the command takes no `--stage`.
 */
import { type Command, Option } from "commander";
import { PlatformConnectionError } from "../platform/errors.ts";
import { DurationError, formatDuration, parseDuration } from "../sfn/duration.ts";
import { CliInputError } from "./errors.ts";
import { iso, print } from "./output.ts";
import { connectLocal, localOptions, type TargetOptions } from "./target.ts";

interface AdvanceOptions extends TargetOptions {
  by?: string;
  to?: string;
}

interface AdvanceAnswer {
  executionArn: string;
  status: string;
  previousExecutionTime: number;
  executionTime: number;
  offsetSeconds: number;
  timersFired: number;
}

/** Adds `advance` to the `executions` command group. */
export function registerAdvanceCommand(executions: Command): void {
  const advance = executions
    .command("advance")
    .description(
      "move ONE execution's clock forward (local platform only): its waits and timeouts fire",
    )
    .argument("<execution>", "execution ARN, or the execution's name (an order id) on the saga")
    .addOption(new Option("--by <duration>", "how far: 25h, 90m, 1d12h, 30s"))
    .addOption(new Option("--to <time>", "to this time of the execution's clock (ISO 8601)"));
  localOptions(advance).action(async (execution: string, o: AdvanceOptions) => {
    const body = request(execution, o);
    const client = await connectLocal(o, "Time travel (executions advance)");
    if (!body.executionArn.startsWith("arn:")) {
      body.executionArn = `${client.stateMachineArn.replace(":stateMachine:", ":execution:")}:${execution}`;
    }
    const answer = await call(client.urls.stepFunctions, body);
    if (o.json) return print(answer);
    const from = new Date(answer.previousExecutionTime * 1000);
    const to = new Date(answer.executionTime * 1000);
    console.log(
      `${answer.executionArn}: ${iso(from)} → ${iso(to)} (${formatDuration(to.getTime() - from.getTime())}), ${answer.timersFired} timer(s) fired, now ${answer.status}`,
    );
  });
}

function request(
  execution: string,
  o: AdvanceOptions,
): Record<string, unknown> & {
  executionArn: string;
} {
  if ((o.by === undefined) === (o.to === undefined)) {
    throw new CliInputError("Say how far: pass --by <duration> (e.g. --by 25h) or --to <ISO time>");
  }
  if (o.by !== undefined) {
    try {
      return { executionArn: execution, advanceBySeconds: parseDuration(o.by, "--by") / 1000 };
    } catch (error) {
      if (error instanceof DurationError) throw new CliInputError(error.message);
      throw error;
    }
  }
  const to = Date.parse(o.to as string);
  if (Number.isNaN(to)) {
    throw new CliInputError(
      `--to must be an ISO 8601 time such as 2026-01-02T09:00:00Z, got '${o.to}'`,
    );
  }
  return { executionArn: execution, advanceTo: to / 1000 };
}

async function call(endpoint: string, body: object): Promise<AdvanceAnswer> {
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "AWSStepFunctions.CountersignAdvanceExecution",
      },
      body: JSON.stringify(body),
    });
  } catch (cause) {
    throw new PlatformConnectionError(
      `The platform's Step Functions API (${endpoint}) does not answer: start the platform with \`npm start\``,
      { cause },
    );
  }
  const answer = (await res.json()) as AdvanceAnswer & { __type?: string; message?: string };
  if (!res.ok) throw new CliInputError(`${answer.__type ?? res.status}: ${answer.message ?? ""}`);
  return answer;
}
