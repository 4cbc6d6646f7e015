/** `countersign sfn serve --json`: one JSON line with the URL once the API accepts requests. */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { expect, it } from "vitest";

const BIN = resolve(import.meta.dirname, "../../bin/countersign.mjs");

it("sfn serve --json prints {url} once it listens, and the URL serves the API", async () => {
  const data = join(mkdtempSync(join(tmpdir(), "countersign-sfn-json-")), "data");
  const child = spawn(
    process.execPath,
    [BIN, "sfn", "serve", "--port", "0", "--data-dir", data, "--json"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  try {
    const line = await new Promise<string>((ok, fail) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n")) ok(out.split("\n")[0] as string);
      });
      child.once("exit", (code) => fail(new Error(`sfn serve exited with ${code}: ${out}`)));
    });

    const { url } = JSON.parse(line) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sfn = new SFNClient({
      endpoint: url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
}, 60_000);
