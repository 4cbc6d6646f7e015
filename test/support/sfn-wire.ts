/**
 * A local Step Functions runtime behind its wire API on a free loopback port, with the unchanged
 * `@aws-sdk/client-sfn` pointed at it: what the tests that talk to the runtime as an AWS SDK user
 * would need. The caller builds the runtime (its clock, store and functions are the test's own).
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { type SfnRuntime, type SfnServer, serveSfnApi } from "../../local/sfn/index.ts";

export const TEST_ROLE = "arn:aws:iam::123456789012:role/test";

export interface WireApi {
  runtime: SfnRuntime;
  server: SfnServer;
  sfn: SFNClient;
  /** Creates a STANDARD (or EXPRESS) state machine and returns its ARN. */
  machine(name: string, definition: object, type?: "STANDARD" | "EXPRESS"): Promise<string>;
  /** Creates a state machine and starts one execution of it; returns the execution's ARN. */
  start(name: string, definition: object, input?: object): Promise<string>;
  /** Waits until the execution has ended and describes it through the API. */
  ended(executionArn: string): Promise<DescribeExecutionCommandOutput>;
  /** Stops the client, the server and the runtime. */
  close(): Promise<void>;
}

export async function serveOverWire(runtime: SfnRuntime): Promise<WireApi> {
  const server = await serveSfnApi(runtime, { port: 0, host: "127.0.0.1" });
  const sfn = new SFNClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
    // StartSyncExecution prefixes the host with "sync-" (AWS routes it separately); loopback has no such name.
    disableHostPrefix: true,
  });
  const machine: WireApi["machine"] = async (name, definition, type = "STANDARD") => {
    const out = await sfn.send(
      new CreateStateMachineCommand({
        name,
        definition: JSON.stringify(definition),
        roleArn: TEST_ROLE,
        type,
      }),
    );
    return out.stateMachineArn as string;
  };
  return {
    runtime,
    server,
    sfn,
    machine,
    async start(name, definition, input = {}) {
      const stateMachineArn = await machine(name, definition);
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
      );
      return executionArn as string;
    },
    async ended(executionArn) {
      await runtime.waitForExecution(executionArn);
      return sfn.send(new DescribeExecutionCommand({ executionArn }));
    },
    async close() {
      sfn.destroy();
      await server.close();
      await runtime.close();
    },
  };
}
