/**
 * Runs every case of the AWS-recorded TestState corpus through the real wire API: a runtime in
 * memory behind `serveSfnApi`, called by an unchanged `@aws-sdk/client-sfn` (`TestStateCommand`).
 * Answers are judged with STRICT scoring (teststate-judge.ts): a field AWS did not return is a
 * difference. Known differences are listed with their reasons in teststate-known-failures.ts; a
 * listed case that starts passing fails the test, so the list only shrinks.
 */
import { SFNClient, SFNServiceException, TestStateCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRuntime,
  type SfnRuntime,
  type SfnServer,
  serveSfnApi,
  VirtualClock,
} from "../../local/sfn/index.ts";
import { CORPORA } from "./corpora.ts";
import { type Answer, judgeTestState, loadTestStateCases } from "./teststate-judge.ts";
import { knownTestStateFailures } from "./teststate-known-failures.ts";

const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const cases = loadTestStateCases(CORPORA.teststate, {
  region: REGION,
  account: ACCOUNT,
  role: `arn:aws:iam::${ACCOUNT}:role/teststate-corpus`,
});
const passed = new Set<string>();
let runtime: SfnRuntime;
let server: SfnServer;
let sfn: SFNClient;

beforeAll(async () => {
  runtime = createRuntime({
    store: "memory",
    clock: new VirtualClock(Date.UTC(2025, 10, 14)),
    region: REGION,
    accountId: ACCOUNT,
  });
  server = await serveSfnApi(runtime, { port: 0 });
  sfn = new SFNClient({
    endpoint: server.url,
    region: REGION,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
    // TestState, like StartSyncExecution, goes to `sync-<host>` on AWS; loopback has no such name.
    disableHostPrefix: true,
  });
});

afterAll(async () => {
  sfn?.destroy();
  await server?.close();
  await runtime?.close();
});

async function call(request: Record<string, unknown>): Promise<Answer> {
  try {
    const out = await sfn.send(new TestStateCommand(request as never));
    const { $metadata, ...body } = out;
    return { kind: "response", body };
  } catch (e) {
    if (!(e instanceof SFNServiceException)) throw e;
    return {
      kind: "rejected",
      name: e.name,
      message: e.message,
      status: e.$metadata.httpStatusCode,
    };
  }
}

describe("AWS-recorded TestState corpus, through the wire API (strict scoring)", () => {
  it.each(cases.map((c) => [c.file.replace(/\.json$/, ""), c] as const))("%s", async (id, c) => {
    const diffs = judgeTestState(c, await call(c.request));
    if (diffs.length === 0) passed.add(id);
    if (id in knownTestStateFailures) {
      expect(diffs, `${id} now passes: remove it from knownTestStateFailures`).not.toEqual([]);
    } else {
      expect(diffs.join("\n")).toBe("");
    }
  });

  it("lists only cases that exist", () => {
    const ids = new Set(cases.map((c) => c.file.replace(/\.json$/, "")));
    for (const id of Object.keys(knownTestStateFailures)) {
      expect(ids.has(id), `${id} is listed but not in the corpus`).toBe(true);
    }
  });

  afterAll(() => {
    const pct = ((100 * passed.size) / cases.length).toFixed(1);
    console.log(
      `teststate conformance: ${passed.size}/${cases.length} cases pass (${pct} %, strict scoring)`,
    );
    expect(cases.length).toBe(134);
    expect(passed.size / cases.length).toBeGreaterThanOrEqual(0.98);
  });
});
