/**
 * `countersign s3 put|ls|get` against the run's local S3 (the global setup's, through
 * `AWS_ENDPOINT_URL_S3`): a file goes in (the bucket is created), is listed, and comes back the
 * same; a missing object is a clear error naming it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { cliAsync } from "../platform/harness.ts";

it("s3 put creates the bucket and uploads; ls lists it; get prints or saves it; a missing key is named", async () => {
  const dir = mkdtempSync(join(tmpdir(), "countersign-s3-cli-"));
  const file = join(dir, "products.csv");
  writeFileSync(file, "sku,stock\nA-1,3\nB-2,0\n");
  const bucket = `cli-${Date.now().toString(36)}`;

  const put = await cliAsync(["s3", "put", file, `s3://${bucket}/in/`, "--json"]);
  expect(put.stderr).toBe("");
  expect(JSON.parse(put.stdout)).toEqual({ bucket, key: "in/products.csv", size: 22 });

  const ls = await cliAsync(["s3", "ls", `s3://${bucket}/in`, "--json"]);
  expect(JSON.parse(ls.stdout)).toEqual([
    { key: "in/products.csv", size: 22, lastModified: expect.any(String) },
  ]);
  expect((await cliAsync(["s3", "ls"])).stdout.split("\n")).toContain(bucket);

  const get = await cliAsync(["s3", "get", `s3://${bucket}/in/products.csv`]);
  expect(get.stdout).toBe("sku,stock\nA-1,3\nB-2,0\n");
  const saved = join(dir, "back.csv");
  expect((await cliAsync(["s3", "get", `s3://${bucket}/in/products.csv`, saved])).code).toBe(0);
  expect(readFileSync(saved, "utf8")).toBe("sku,stock\nA-1,3\nB-2,0\n");

  const missing = await cliAsync(["s3", "get", `s3://${bucket}/nope.csv`]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain(`No object s3://${bucket}/nope.csv (NoSuchKey)`);
  const bad = await cliAsync(["s3", "ls", "bucket/key"]);
  expect(bad.stderr).toContain("bucket/key is not an S3 address: write s3://bucket/key");
}, 120_000);
