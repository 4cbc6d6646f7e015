/**
 * Shared arrange steps for the Step Functions runtime tests: a runtime on a virtual clock, its wire
 * API on a free loopback port, and an unchanged `@aws-sdk/client-sfn` pointed at it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SFNClient } from "@aws-sdk/client-sfn";
import {
  createRuntime,
  type FunctionMap,
  type SfnRuntime,
  type SfnServer,
  serveSfnApi,
  VirtualClock,
} from "../../local/sfn/index.ts";

export interface Harness {
  runtime: SfnRuntime;
  clock: VirtualClock;
  server: SfnServer;
  sfn: SFNClient;
  /** Creates a STANDARD (or EXPRESS) state machine and returns its ARN. */
  machine(name: string, definition: object, type?: "STANDARD" | "EXPRESS"): Promise<string>;
  close(): Promise<void>;
}

export function tempDir(prefix = "sfn-"): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function harness(
  opts: {
    functions?: FunctionMap;
    dataDir?: string;
    clock?: VirtualClock;
    random?: () => number;
  } = {},
): Promise<Harness> {
  const clock = opts.clock ?? new VirtualClock(Date.UTC(2025, 0, 1));
  const runtime = createRuntime({
    clock,
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    functions: opts.functions ?? {},
    ...(opts.random ? { random: opts.random } : {}),
  });
  const server = await serveSfnApi(runtime, { port: 0, host: "127.0.0.1" });
  const sfn = new SFNClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
    // StartSyncExecution prefixes the host with "sync-" (AWS routes it separately); loopback has no such name.
    disableHostPrefix: true,
  });
  const { CreateStateMachineCommand } = await import("@aws-sdk/client-sfn");
  return {
    runtime,
    clock,
    server,
    sfn,
    async machine(name, definition, type = "STANDARD") {
      const out = await sfn.send(
        new CreateStateMachineCommand({
          name,
          definition: JSON.stringify(definition),
          roleArn: "arn:aws:iam::123456789012:role/test",
          type,
        }),
      );
      return out.stateMachineArn as string;
    },
    async close() {
      sfn.destroy();
      await server.close();
      await runtime.close();
    },
  };
}
