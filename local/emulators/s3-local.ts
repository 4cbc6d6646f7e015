/**
 * The local S3: `@20minutes/s3rver` (a maintained fork of s3rver: pure JavaScript from the npm
 * registry, Node 20) run in this process on 127.0.0.1, its objects in a directory (the data
 * directory's `s3/` for `npm start`; a temporary one for tests). Clients reach it with
 * `AWS_ENDPOINT_URL_S3` and path-style addressing (`forcePathStyle: true`).
 *
 * Two response headers are added so the local S3 answers as S3 does today
 * (docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html,
 * .../checking-object-integrity.html): every object is encrypted with SSE-S3
 * (`x-amz-server-side-encryption: AES256`), and a PutObject that sent a checksum gets it back with
 * `x-amz-checksum-type: FULL_OBJECT`.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmulatorStartError } from "./errors.ts";

export interface S3LocalOptions {
  /** TCP port; 0 or omitted picks a free one. */
  port?: number;
  /** Where objects are kept; a fresh temporary directory (removed on stop) when omitted. */
  directory?: string;
  /** Buckets to create at start (existing ones are kept). */
  buckets?: string[];
}

export interface S3Local {
  /** e.g. `http://127.0.0.1:40123` — use as `AWS_ENDPOINT_URL_S3` (path-style). */
  endpoint: string;
  directory: string;
  stop(): Promise<void>;
}

interface KoaContext {
  method: string;
  path: string;
  get(name: string): string;
  set(name: string, value: string): void;
  status: number;
  req: { headers: Record<string, string | string[] | undefined> };
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverInstance {
  middleware: Middleware[];
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

/** Adds the headers S3 sends and s3rver does not. */
const likeS3: Middleware = async (ctx, next) => {
  const objectCall = ctx.path.split("/").filter(Boolean).length >= 2;
  // S3's type for an object stored without one.
  if (ctx.method === "PUT" && objectCall && !ctx.get("content-type")) {
    ctx.req.headers["content-type"] = "binary/octet-stream";
  }
  await next();
  if (!objectCall || ctx.status >= 300) return;
  if (ctx.method === "PUT" || ctx.method === "GET" || ctx.method === "HEAD") {
    ctx.set("x-amz-server-side-encryption", "AES256");
  }
  if (ctx.method === "PUT") {
    for (const alg of ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"]) {
      const sum = ctx.get(`x-amz-checksum-${alg}`);
      if (sum) {
        ctx.set(`x-amz-checksum-${alg}`, sum);
        ctx.set("x-amz-checksum-type", "FULL_OBJECT");
      }
    }
  }
};

interface AccountModule {
  registry: Map<string, unknown>;
  DUMMY_ACCOUNT: { accessKeys: Map<string, string> };
}

/**
 * s3rver knows one access key (`S3RVER`); local clients sign with whatever the environment has
 * (`local`, `test`, a developer's profile). Every key maps to its one account, and signatures are
 * not checked (`allowMismatchedSignatures`): the server is on loopback only.
 */
function acceptAnyAccessKey(account: AccountModule): void {
  const dummy = account.DUMMY_ACCOUNT;
  account.registry.get = () => dummy;
  dummy.accessKeys.get = () => "S3RVER";
}

/** Starts the S3-compatible server in this process. */
export async function startS3Local(options: S3LocalOptions = {}): Promise<S3Local> {
  const temporary = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), "countersign-s3-"));
  mkdirSync(directory, { recursive: true });
  const require = createRequire(import.meta.url);
  const S3rver = require("@20minutes/s3rver") as S3rverClass;
  acceptAnyAccessKey(require("@20minutes/s3rver/lib/models/account.js") as AccountModule);
  const server = new S3rver({
    address: "127.0.0.1",
    port: options.port ?? 0,
    directory,
    silent: true,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
    // Requests are signed with the local dummy credentials; any signature is accepted.
    allowMismatchedSignatures: true,
  });
  server.middleware.unshift(likeS3);
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (cause) {
    throw new EmulatorStartError(`The local S3 did not start on 127.0.0.1:${options.port ?? 0}`, {
      cause,
    });
  }
  server.httpServer?.unref();
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    directory,
    stop() {
      stopping ??= (async () => {
        server.httpServer?.closeAllConnections();
        await server.close().catch(() => undefined);
        if (temporary) rmSync(directory, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
