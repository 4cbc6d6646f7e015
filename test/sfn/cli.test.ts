/**
 * `countersign sfn serve`: announces its URL once it accepts requests, serves the API with the
 * handlers of a functions module, and stops cleanly on SIGTERM.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
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
