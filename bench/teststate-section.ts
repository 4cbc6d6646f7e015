/**
 * The `teststate` section: 1,000 TestState calls (issue 18: "1,000 TestState calls run in under
 * 5 s") through the real wire API — `serveSfnApi` on loopback, `@aws-sdk/client-sfn`'s
 * `TestStateCommand`, one call after another — over a mix of the states users test: a mocked
 * Lambda Task with Retry and Catch (caught), a mocked DynamoDB Task (result checked in STRICT
 * mode), a JSONata Choice, a JSONPath Pass and a mocked Map, at DEBUG. Reported: wall time of the
 * 1,000 calls and the process CPU they took (client and server share the process), p50/p99 per
 * call, the same 1,000 with every definition new (nothing compiled is reused), and the 1,000
 * called in process (`runtime.testState`, no HTTP: what the wire adds). The spec is here and registered in sections.ts;
 * the runtime is loaded only when the section runs, in its own child process.
 */
import type { Figure } from "./figures.ts";
import type { SectionSpec } from "./sections.ts";
import { percentile, progress } from "./stats.ts";

export const TESTSTATE_SECTION: SectionSpec = {
  id: "teststate",
  title: "1,000 TestState calls through the wire API",
  timeoutMs: 60_000,
  quickTimeoutMs: 30_000,
  expected: [
    { name: "teststate.calls1000.ms", unit: "ms", target: { max: 5_000 } },
    { name: "teststate.calls1000.cpuMs", unit: "ms" },
    { name: "teststate.callMs.p50", unit: "ms" },
    { name: "teststate.callMs.p99", unit: "ms" },
    { name: "teststate.calls1000Uncached.ms", unit: "ms" },
    { name: "teststate.inProcess1000.ms", unit: "ms" },
  ],
};

const ROLE = "arn:aws:iam::123456789012:role/bench";

/** The requests the calls cycle through; `salt` makes each definition text new. */
function requests(salt: string): Record<string, unknown>[] {
  const c = salt ? { Comment: salt } : {};
  return [
    {
      definition: JSON.stringify({
        ...c,
        Type: "Task",
        QueryLanguage: "JSONata",
        Resource: "arn:aws:states:::lambda:invoke",
        Arguments: { FunctionName: "charge", Payload: { orderId: "{% $states.input.id %}" } },
        Retry: [{ ErrorEquals: ["Transient"], MaxAttempts: 3 }],
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Refund" }],
        Next: "Ship",
      }),
      input: '{"id": "o-1"}',
      inspectionLevel: "DEBUG",
      mock: { errorOutput: { error: "PaymentDeclined", cause: "declined" } },
    },
    {
      definition: JSON.stringify({
        ...c,
        Type: "Task",
        Resource: "arn:aws:states:::dynamodb:putItem",
        Parameters: { TableName: "orders", "Item.$": "$.item" },
        ResultPath: "$.put",
        End: true,
      }),
      roleArn: ROLE,
      input: '{"item": {"pk": {"S": "o-1"}}}',
      inspectionLevel: "DEBUG",
      mock: { result: '{"ConsumedCapacity": {"TableName": "orders", "CapacityUnits": 1}}' },
    },
    {
      definition: JSON.stringify({
        ...c,
        Type: "Choice",
        QueryLanguage: "JSONata",
        Choices: [{ Condition: "{% $states.input.total > 100 %}", Next: "Approve" }],
        Default: "Charge",
      }),
      input: '{"total": 120}',
      inspectionLevel: "DEBUG",
    },
    {
      definition: JSON.stringify({
        ...c,
        Type: "Pass",
        InputPath: "$.order",
        Parameters: { "id.$": "$.id", "lines.$": "States.ArrayLength($.lines)" },
        ResultPath: "$.summary",
        Next: "Next",
      }),
      input: '{"order": {"id": "o-1", "lines": [1, 2, 3]}}',
      inspectionLevel: "DEBUG",
    },
    {
      definition: JSON.stringify({
        ...c,
        Type: "Map",
        ItemsPath: "$.lines",
        ToleratedFailureCount: 1,
        ItemProcessor: { StartAt: "Reserve", States: { Reserve: { Type: "Pass", End: true } } },
        ResultPath: "$.reserved",
        End: true,
      }),
      input: '{"lines": [1, 2, 3]}',
      inspectionLevel: "DEBUG",
      mock: { result: "[true, true, true]" },
      stateConfiguration: { mapIterationFailureCount: 1 },
    },
  ];
}

export async function runTestStateSection({ quick }: { quick: boolean }): Promise<Figure[]> {
  const { SFNClient, TestStateCommand } = await import("@aws-sdk/client-sfn");
  const { createRuntime, serveSfnApi } = await import("../local/sfn/index.ts");
  const runtime = createRuntime({ store: "memory" });
  const server = await serveSfnApi(runtime, { port: 0 });
  const sfn = new SFNClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    maxAttempts: 1,
    // TestState goes to `sync-<host>` on AWS; loopback has no such name.
    disableHostPrefix: true,
  });
  const calls = quick ? 100 : 1_000;
  const send = async (req: Record<string, unknown>) => {
    const out = await sfn.send(new TestStateCommand(req as never));
    if (!out.status) throw new Error(`TestState answered without a status: ${JSON.stringify(out)}`);
  };
  try {
    const mix = requests("");
    progress("teststate", "warming up (50 calls)");
    for (let i = 0; i < 50; i++) await send(mix[i % mix.length] as Record<string, unknown>);

    progress("teststate", `${calls} calls over ${mix.length} definitions`);
    const perCall: number[] = [];
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < calls; i++) {
      const t = performance.now();
      await send(mix[i % mix.length] as Record<string, unknown>);
      perCall.push(performance.now() - t);
    }
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);

    progress("teststate", `${calls} calls, every definition new`);
    const uncachedStart = performance.now();
    for (let i = 0; i < calls; i++) {
      const fresh = requests(`run ${i}`);
      await send(fresh[i % fresh.length] as Record<string, unknown>);
    }
    const uncached = performance.now() - uncachedStart;

    progress("teststate", `${calls} calls in process (runtime.testState, no HTTP)`);
    const inProcessStart = performance.now();
    for (let i = 0; i < calls; i++) {
      await runtime.testState(
        mix[i % mix.length] as unknown as Parameters<typeof runtime.testState>[0],
      );
    }
    const inProcess = performance.now() - inProcessStart;
    progress("teststate", `${wall.toFixed(0)} ms wall, ${uncached.toFixed(0)} ms uncached`);

    const scale = 1_000 / calls;
    const note = quick ? `quick run: ${calls} calls, scaled to 1,000` : undefined;
    const figure = (name: string, value: number, unit = "ms"): Figure =>
      note ? { name, value, unit, note } : { name, value, unit };
    return [
      figure("teststate.calls1000.ms", wall * scale),
      figure("teststate.calls1000.cpuMs", ((used.user + used.system) / 1_000) * scale),
      figure("teststate.callMs.p50", percentile(perCall, 50)),
      figure("teststate.callMs.p99", percentile(perCall, 99)),
      figure("teststate.calls1000Uncached.ms", uncached * scale),
      figure("teststate.inProcess1000.ms", inProcess * scale),
    ];
  } finally {
    sfn.destroy();
    await server.close();
    await runtime.close();
  }
}
