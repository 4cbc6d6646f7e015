/**
 * UpdateMapRun through the wire API: a running Map Run (children waiting on task tokens, inline
 * items, MaxConcurrency 1) gets MaxConcurrency 3 and starts the waiting children at once;
 * out-of-range values, unknown Map Runs, malformed ARNs and ended Map Runs are refused with AWS's
 * errors and change nothing.
 */
import {
  DescribeMapRunCommand,
  ListMapRunsCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  UpdateMapRunCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRuntime, type SfnRuntime } from "../../local/sfn/index.ts";
import { serveOverWire, type WireApi } from "../support/sfn-wire.ts";

let api: WireApi;
let runtime: SfnRuntime;
let sfn: SFNClient;
/** Tokens of the `hold` function's waiting children. */
const held: string[] = [];

beforeAll(async () => {
  runtime = createRuntime({
    store: "memory",
    functions: {
      hold: async (event: unknown) => {
        held.push((event as { token: string }).token);
        return {};
      },
    },
  });
  api = await serveOverWire(runtime);
  sfn = api.sfn;
});
afterAll(() => api?.close());

it("UpdateMapRun raises MaxConcurrency of a running Map Run; bad values, unknown runs and ended runs are refused as AWS refuses them", async () => {
  const executionArn = await api.start(
    "update-map-run",
    {
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemsPath: "$.items",
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
            StartAt: "Hold",
            States: {
              Hold: {
                Type: "Task",
                Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
                Parameters: { FunctionName: "hold", Payload: { "token.$": "$$.Task.Token" } },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    },
    { items: [1, 2, 3] },
  );
  await runtime.idle();
  const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn }));
  const mapRunArn = mapRuns?.[0]?.mapRunArn as string;
  await until(() => held.length === 1);
  const before = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
  expect(before).toMatchObject({
    status: "RUNNING",
    maxConcurrency: 1,
    executionCounts: { running: 1, pending: 2, total: 3 },
  });

  const refused = async (req: object) => {
    try {
      await sfn.send(new UpdateMapRunCommand({ mapRunArn, ...req }));
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
    return "accepted";
  };
  expect(await refused({ maxConcurrency: -1 })).toBe(
    "ValidationException: 1 validation error detected: Value '-1' at 'maxConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 0",
  );
  expect(await refused({ toleratedFailurePercentage: 101 })).toBe(
    "ValidationException: 1 validation error detected: Value '101' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value less than or equal to 100",
  );
  expect(await refused({ mapRunArn: `${mapRunArn}0`, maxConcurrency: 2 })).toMatch(
    /^ResourceNotFound: /,
  );
  expect(
    await refused({
      mapRunArn: "arn:aws:states:us-east-1:123456789012:execution:x:y",
      maxConcurrency: 2,
    }),
  ).toMatch(/^InvalidArn: /);
  expect((await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).maxConcurrency).toBe(1);

  await sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 3 }));
  await until(() => held.length === 3);
  expect((await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).executionCounts).toMatchObject({
    running: 3,
    pending: 0,
  });
  for (const [i, taskToken] of held.splice(0).entries()) {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(i) }));
  }
  const d = await api.ended(executionArn);
  expect(d.status).toBe("SUCCEEDED");
  expect(JSON.parse(d.output ?? "null")).toHaveLength(3);
  expect(await refused({ maxConcurrency: 5 })).toMatch(
    /^ValidationException: .*not running \(SUCCEEDED\)/,
  );
});

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !ok(); i++) {
    await runtime.idle();
    await new Promise((r) => setTimeout(r, 25));
  }
  expect(ok()).toBe(true);
}
