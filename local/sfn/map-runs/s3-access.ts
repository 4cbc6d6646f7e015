/**
 * The three S3 calls a Map Run makes (GetObject and ListObjectsV2 for ItemReader, PutObject for
 * ResultWriter), through `@aws-sdk/client-s3` against the configured endpoint
 * (`AWS_ENDPOINT_URL_S3`, path-style addressing as the local S3 needs). S3's errors keep their
 * names (`NoSuchKey`, `NoSuchBucket`, ...) for the reader and writer to report as AWS does.
 */
import type { S3Client } from "@aws-sdk/client-s3";

export interface S3Object {
  body: Buffer;
}

export interface S3Listing {
  contents: { Key: string; ETag: string; Size: number; LastModified: Date; StorageClass: string }[];
  next?: string;
}

export interface S3Access {
  getObject(bucket: string, key: string): Promise<S3Object>;
  listObjectsV2(bucket: string, prefix: string | undefined, token?: string): Promise<S3Listing>;
  putObject(bucket: string, key: string, body: string): Promise<void>;
}

/** An S3 client made on first use, from the environment unless one is given. */
export function s3Access(client?: () => S3Client | Promise<S3Client>): S3Access {
  let made: Promise<S3Client> | undefined;
  const get = () => {
    made ??= Promise.resolve(client ? client() : defaultS3Client());
    return made;
  };
  return {
    async getObject(bucket, key) {
      const { GetObjectCommand } = await import("@aws-sdk/client-s3");
      const out = await (await get()).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return { body: Buffer.from(bytes) };
    },
    async listObjectsV2(bucket, prefix, token) {
      const { ListObjectsV2Command } = await import("@aws-sdk/client-s3");
      const out = await (await get()).send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      return {
        contents: (out.Contents ?? []).map((o) => ({
          Key: o.Key ?? "",
          ETag: o.ETag ?? "",
          Size: o.Size ?? 0,
          LastModified: o.LastModified ?? new Date(0),
          StorageClass: o.StorageClass ?? "STANDARD",
        })),
        next: out.IsTruncated ? out.NextContinuationToken : undefined,
      };
    },
    async putObject(bucket, key, body) {
      const { PutObjectCommand } = await import("@aws-sdk/client-s3");
      await (await get()).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
  };
}

/** The S3 client of the environment: `AWS_ENDPOINT_URL_S3`, path-style; none configured is an error. */
export async function defaultS3Client(): Promise<S3Client> {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3;
  if (!endpoint) {
    throw new Error(
      "No S3 endpoint is configured: set AWS_ENDPOINT_URL_S3 (npm start and sfn serve start a local S3 and set it)",
    );
  }
  const { S3Client } = await import("@aws-sdk/client-s3");
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: process.env.AWS_REGION ?? "us-east-1",
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "local",
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
    },
  });
}
