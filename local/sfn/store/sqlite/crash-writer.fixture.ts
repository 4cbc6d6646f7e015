/**
 * The writer `crash.test.ts` kills: opens the durable runtime on the data directory it is given
 * (refusing, exit 3, if the store fails its checks), then starts executions as fast as it can and
 * prints each ARN once StartExecution has answered (acknowledged, so durable), until killed.
 */
import { StoreDamagedError } from "../../errors.ts";
import { createRuntime } from "../../runtime.ts";

const dir = process.argv[2];
if (!dir) throw new Error("usage: crash-writer.fixture.ts <dataDir>");
let runtime: ReturnType<typeof createRuntime>;
try {
  runtime = createRuntime({ dataDir: dir });
} catch (error) {
  if (error instanceof StoreDamagedError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(3);
  }
  throw error;
}
const machines: Record<string, object> = {
  done: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
  nap: { StartAt: "W", States: { W: { Type: "Wait", Seconds: 86400, End: true } } },
};
const arns: string[] = [];
for (const [name, definition] of Object.entries(machines)) {
  try {
    arns.push(
      runtime.createStateMachine({ name, definition: JSON.stringify(definition) }).stateMachineArn,
    );
  } catch {
    arns.push(`arn:aws:states:us-east-1:123456789012:stateMachine:${name}`);
  }
}
process.stdout.write("ready\n");
for (let i = 0; ; i++) {
  const input = JSON.stringify({ i, pad: "x".repeat(1000 + (i % 7) * 900) });
  // Several at once, as a busy server has them: their steps share group commits.
  const started = await Promise.all(
    [0, 1, 2, 3].map((k) =>
      runtime.startExecution({ stateMachineArn: arns[(i + k) % 2] as string, input }),
    ),
  );
  process.stdout.write(`${started.map((s) => s.executionArn).join("\n")}\n`);
}
