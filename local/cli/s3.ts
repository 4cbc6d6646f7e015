/**
 * `countersign s3 ls|put|get`: load items into the local S3 and read results back (Distributed
 * Map's ItemReader and ResultWriter), without the AWS CLI. The endpoint is the local S3 recorded
 * in the data directory by `npm start` (or `--endpoint`, or `AWS_ENDPOINT_URL_S3`); addresses are
 * `s3://bucket/key` as the AWS CLI writes them. `put` creates the bucket when it is missing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { S3Client } from "@aws-sdk/client-s3";
import { type Command, Option } from "commander";
import { readUrls } from "../platform/data-dir.ts";
import { CliInputError } from "./errors.ts";
import { print } from "./output.ts";
import { dataDirOption, jsonOption } from "./target.ts";

interface S3Options {
  dataDir: string;
  endpoint?: string;
  json?: boolean;
}

/** `s3://bucket/key…` → bucket and key (the key may be empty: a bucket or a prefix). */
export function parseS3Url(url: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new CliInputError(`${url} is not an S3 address: write s3://bucket/key`);
  return { bucket: m[1] as string, key: m[2] as string };
}

function options(command: Command): Command {
  return command
    .addOption(dataDirOption())
    .addOption(
      new Option(
        "--endpoint <url>",
        "the S3 endpoint (default: AWS_ENDPOINT_URL_S3, else the one recorded in --data-dir)",
      ),
    )
    .addOption(jsonOption());
}

async function client(o: S3Options): Promise<S3Client> {
  let endpoint = o.endpoint ?? process.env.AWS_ENDPOINT_URL_S3;
  if (!endpoint) {
    endpoint = readUrls(o.dataDir).s3;
    if (!endpoint) {
      throw new CliInputError(
        `The platform in ${o.dataDir} runs no local S3: restart it with \`npm start\`, or pass --endpoint`,
      );
    }
  }
  const { S3Client } = await import("@aws-sdk/client-s3");
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: process.env.AWS_REGION ?? "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

export function registerS3Commands(program: Command): void {
  const s3 = program
    .command("s3")
    .description("objects in the local S3 (Distributed Map items and results)");

  const ls = s3
    .command("ls")
    .description("buckets, or the objects under s3://bucket/prefix")
    .argument("[url]", "s3://bucket/prefix");
  options(ls).action(async (url: string | undefined, o: S3Options) => {
    const c = await client(o);
    const sdk = await import("@aws-sdk/client-s3");
    try {
      if (!url) {
        const out = await c.send(new sdk.ListBucketsCommand({}));
        const names = (out.Buckets ?? []).map((b) => b.Name ?? "");
        if (o.json) return print(names);
        for (const n of names) console.log(n);
        return;
      }
      const { bucket, key } = parseS3Url(url);
      const objects: { key: string; size: number; lastModified: string }[] = [];
      let token: string | undefined;
      do {
        const out = await c.send(
          new sdk.ListObjectsV2Command({
            Bucket: bucket,
            Prefix: key || undefined,
            ContinuationToken: token,
          }),
        );
        for (const x of out.Contents ?? []) {
          objects.push({
            key: x.Key ?? "",
            size: x.Size ?? 0,
            lastModified: x.LastModified?.toISOString() ?? "",
          });
        }
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
      if (o.json) return print(objects);
      for (const x of objects)
        console.log(`${x.lastModified}  ${String(x.size).padStart(10)}  ${x.key}`);
    } finally {
      c.destroy();
    }
  });

  const put = s3
    .command("put")
    .description("upload a file to s3://bucket/key (the bucket is created if missing)")
    .argument("<file>", "the local file")
    .argument("<url>", "s3://bucket/key (a key ending in / takes the file's name)");
  options(put).action(async (file: string, url: string, o: S3Options) => {
    let { bucket, key } = parseS3Url(url);
    if (key === "" || key.endsWith("/")) key += file.split(/[\\/]/).pop() ?? file;
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch (cause) {
      throw new CliInputError(`Cannot read ${file}: ${(cause as Error).message}`);
    }
    const c = await client(o);
    const sdk = await import("@aws-sdk/client-s3");
    try {
      await c.send(new sdk.CreateBucketCommand({ Bucket: bucket })).catch((e: Error) => {
        if (!/BucketAlready(OwnedByYou|Exists)/.test(e.name)) throw e;
      });
      await c.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    } finally {
      c.destroy();
    }
    if (o.json) return print({ bucket, key, size: body.length });
    console.log(`Uploaded ${file} to s3://${bucket}/${key} (${body.length} bytes)`);
  });

  const get = s3
    .command("get")
    .description("print s3://bucket/key, or save it to a file")
    .argument("<url>", "s3://bucket/key")
    .argument("[file]", "where to save it (default: print it)");
  options(get).action(async (url: string, file: string | undefined, o: S3Options) => {
    const { bucket, key } = parseS3Url(url);
    const c = await client(o);
    const sdk = await import("@aws-sdk/client-s3");
    try {
      const out = await c
        .send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }))
        .catch((e: Error) => {
          if (e.name === "NoSuchKey" || e.name === "NoSuchBucket") {
            throw new CliInputError(
              `No object s3://${bucket}/${key} (${e.name}): see \`countersign s3 ls\``,
            );
          }
          throw e;
        });
      const bytes = Buffer.from((await out.Body?.transformToByteArray()) ?? new Uint8Array());
      if (file) writeFileSync(file, bytes);
      if (o.json) {
        print({
          bucket,
          key,
          size: bytes.length,
          ...(file ? { file } : { body: bytes.toString("utf8") }),
        });
      } else if (!file) process.stdout.write(bytes);
    } finally {
      c.destroy();
    }
  });
}
