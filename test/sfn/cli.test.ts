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

it("serves the API with a functions module and exits 0 on SIGTERM", async () => {
  const functions = join(dir.dir, "functions.mjs");
  writeFileSync(functions, "export default { greet: async (e) => ({ hello: e.name }) };\n");
  const child = spawn(
    process.execPath,
    [
      bin,
      "sfn",
      "serve",
      "--port",
      "0",
      "--data-dir",
      join(dir.dir, "data"),
      "--functions",
      functions,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
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

  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({
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
    }),
  );
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: '{"name":"Ada"}' }),
  );
  let status = "RUNNING";
  let output: string | undefined;
  while (status === "RUNNING") {
    ({ status = "RUNNING", output } = await sfn.send(
      new DescribeExecutionCommand({ executionArn }),
    ));
  }
  sfn.destroy();
  child.kill("SIGTERM");

  expect(status).toBe("SUCCEEDED");
  expect(JSON.parse(output as string)).toEqual({ hello: "Ada" });
  expect(await exited).toBe(0);
});

it("--mock-config: runs AWS's MockConfigFile.json example's HappyPath as Step Functions Local does", async () => {
  const example = (name: string) =>
    fileURLToPath(new URL(`../../local/sfn/mock-config/aws-example/${name}`, import.meta.url));
  const child = spawn(
    process.execPath,
    [
      bin,
      "sfn",
      "serve",
      "--port",
      "0",
      "--data-dir",
      join(dir.dir, "mocked"),
      "--mock-config",
      example("MockConfigFile.json"),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
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
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({
      name: "LambdaSQSIntegration",
      roleArn: "arn:aws:iam::123456789012:role/service-role/LambdaSQSIntegration",
      definition: readFileSync(example("LambdaSQSIntegration.asl.json"), "utf8"),
    }),
  );
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#HappyPath` }),
  );
  let status = "RUNNING";
  let output: string | undefined;
  while (status === "RUNNING") {
    ({ status = "RUNNING", output } = await sfn.send(
      new DescribeExecutionCommand({ executionArn }),
    ));
  }
  sfn.destroy();
  child.kill("SIGTERM");

  expect(status).toBe("SUCCEEDED");
  expect(JSON.parse(output as string)).toEqual({
    MD5OfMessageBody: "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",
    MessageId: "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51",
  });
  expect(await exited).toBe(0);
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
