/**
 * `countersign sfn serve`: announces its URL once it accepts requests, serves the API with the
 * handlers of a functions module, and stops cleanly on SIGTERM.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, expect, it } from "vitest";
import { tempDir } from "./helpers.ts";

const bin = fileURLToPath(new URL("../../bin/countersign.mjs", import.meta.url));
const dir = tempDir("sfn-cli-");
afterAll(() => dir.remove());

/**
 * Starts `countersign sfn serve <args> --port 0`, waits for the URL it announces and returns a
 * client for it; `stop` sends SIGTERM and resolves with the exit code.
 */
async function serve(args: string[]): Promise<{ sfn: SFNClient; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [bin, "sfn", "serve", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Step Functions API: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.on("exit", (code) => reject(new Error(`serve exited early with ${code}`)));
  });
  const sfn = new SFNClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  return {
    sfn,
    stop() {
      sfn.destroy();
      child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Creates the state machine, starts `stateMachineArn + suffix` and polls until it has ended. */
async function runOnce(
  sfn: SFNClient,
  machine: { name: string; roleArn: string; definition: string },
  start: { suffix?: string; input?: string } = {},
): Promise<{ status: string; output: string | undefined }> {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand(machine));
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: `${stateMachineArn}${start.suffix ?? ""}`,
      ...(start.input === undefined ? {} : { input: start.input }),
    }),
  );
  let status = "RUNNING";
  let output: string | undefined;
  while (status === "RUNNING") {
    ({ status = "RUNNING", output } = await sfn.send(
      new DescribeExecutionCommand({ executionArn }),
    ));
  }
  return { status, output };
}

it("serves the API with a functions module and exits 0 on SIGTERM", async () => {
  const functions = join(dir.dir, "functions.mjs");
  writeFileSync(functions, "export default { greet: async (e) => ({ hello: e.name }) };\n");
  const server = await serve(["--data-dir", join(dir.dir, "data"), "--functions", functions]);

  const { status, output } = await runOnce(
    server.sfn,
    {
      name: "greeter",
      roleArn: "arn:aws:iam::123456789012:role/r",
      definition: JSON.stringify({
        StartAt: "Greet",
        States: {
          Greet: {
            Type: "Task",
            Resource: "arn:aws:lambda:us-east-1:123456789012:function:greet",
            End: true,
          },
        },
      }),
    },
    { input: '{"name":"Ada"}' },
  );
  const code = await server.stop();

  expect(status).toBe("SUCCEEDED");
  expect(JSON.parse(output as string)).toEqual({ hello: "Ada" });
  expect(code).toBe(0);
});

it("--mock-config: runs AWS's MockConfigFile.json example's HappyPath as Step Functions Local does", async () => {
  const example = (name: string) =>
    fileURLToPath(new URL(`../../local/sfn/mock-config/aws-example/${name}`, import.meta.url));
  const server = await serve([
    "--data-dir",
    join(dir.dir, "mocked"),
    "--mock-config",
    example("MockConfigFile.json"),
  ]);
  const { status, output } = await runOnce(
    server.sfn,
    {
      name: "LambdaSQSIntegration",
      roleArn: "arn:aws:iam::123456789012:role/service-role/LambdaSQSIntegration",
      definition: readFileSync(example("LambdaSQSIntegration.asl.json"), "utf8"),
    },
    { suffix: "#HappyPath" },
  );
  const code = await server.stop();

  expect(status).toBe("SUCCEEDED");
  expect(JSON.parse(output as string)).toEqual({
    MD5OfMessageBody: "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",
    MessageId: "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51",
  });
  expect(code).toBe(0);
});

it("--mock-config: a malformed file stops serve before it listens, naming the field", async () => {
  const bad = join(dir.dir, "bad-mocks.json");
  writeFileSync(bad, JSON.stringify({ StateMachines: {}, MockedResponses: { R: { x: {} } } }));
  const child = spawn(
    process.execPath,
    [bin, "sfn", "serve", "--port", "0", "--mock-config", bad],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let err = "";
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));

  expect(code).not.toBe(0);
  expect(err).toContain('MockedResponses.R."x": must be an invocation number');
});
