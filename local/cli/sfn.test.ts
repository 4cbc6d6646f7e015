/**
 * `countersign sfn serve --json`: one JSON line with the URLs once the API accepts requests; the
 * local S3 it starts keeps its objects in the data directory.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { expect, it } from "vitest";

const BIN = resolve(import.meta.dirname, "../../bin/countersign.mjs");

it("sfn serve --json prints {url, s3} once it listens; the URL serves the API, the S3 keeps objects in the data directory", async () => {
  const data = join(mkdtempSync(join(tmpdir(), "countersign-sfn-json-")), "data");
  const child = spawn(
    process.execPath,
    [BIN, "sfn", "serve", "--port", "0", "--data-dir", data, "--json"],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, AWS_ENDPOINT_URL_S3: "" },
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

    const { url, s3: s3Url } = JSON.parse(line) as { url: string; s3: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sfn = new SFNClient({
      endpoint: url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
    sfn.destroy();
    expect(s3Url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const s3 = new S3Client({
      endpoint: s3Url,
      forcePathStyle: true,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    await s3.send(new CreateBucketCommand({ Bucket: "inventory" }));
    await s3.send(new PutObjectCommand({ Bucket: "inventory", Key: "a.csv", Body: "sku\n1\n" }));
    s3.destroy();
    expect(existsSync(join(data, "s3", "inventory"))).toBe(true);
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
}, 60_000);
