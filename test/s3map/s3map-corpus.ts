/**
 * Runs the cases of the AWS-recorded S3 corpus (`conformance/aws-recorded-s3map`, its README says
 * how): the fixture's buckets and objects are put in the local S3, the state machine is created on
 * a runtime and the execution started through the unchanged `@aws-sdk/client-sfn` over the wire
 * API, then status, output (tokens `${any}`, `${uuid:K}`, `${region}`, ... matched; numbers by
 * value), error and cause, the objects the test read back (Body, ETag, ContentLength exactly;
 * S3's other headers by presence) and, on its own line, the history's event types are compared.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { Json } from "../../local/asl/types.ts";

export interface S3Case {
  name: string;
  file: string;
  kind: string;
  definition: Json;
  input: Json;
  state_machine: { name: string; type: "STANDARD" | "EXPRESS" };
  setup: { s3_buckets: string[]; s3_objects: { bucket: string; key: string; body: string }[] };
  expected: { status: string; output?: Json; error?: string; cause?: string };
  expected_s3_objects?: {
    bucket: string;
    key: string;
    body: string;
    get_object: Record<string, Json>;
  }[];
  history_event_types?: string[];
}

export interface S3Verdict {
  pass: boolean;
  diff?: string;
  historyMatch?: boolean;
  historyDiff?: string;
}

export function loadS3Cases(dir: string): S3Case[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !f.startsWith("_"))
    .sort()
    .map((f) => ({ ...(JSON.parse(readFileSync(join(dir, f), "utf8")) as S3Case), file: f }));
}

const REGION = "us-east-1";
const ACCOUNT = "123456789012";

/** Substitutes `${region}` and `${account}` everywhere in a case's JSON. */
function localise<T>(v: T): T {
  return JSON.parse(
    JSON.stringify(v).replaceAll("${region}", REGION).replaceAll("${account}", ACCOUNT),
  ) as T;
}

const TOKEN = /\$\{(any|uuid:[^}]+|exec:[^}]+|role|token)\}/g;

/** Whether `actual` matches `expected` with the corpus's tokens; numbers by value. */
export function matches(
  expected: unknown,
  actual: unknown,
  uuids = new Map<string, string>(),
): boolean {
  if (typeof expected === "string") {
    if (expected === "${any}") return actual !== undefined;
    if (!expected.includes("${")) return expected === actual;
    if (typeof actual !== "string") return false;
    const parts = expected.split(TOKEN);
    let re = "^";
    const keys: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string;
      if (i % 2 === 0) re += p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      else {
        re += p.startsWith("uuid:") ? "([0-9a-f-]{36})" : "(.*?)";
        keys.push(p);
      }
    }
    const m = new RegExp(`${re}$`, "s").exec(actual);
    if (!m) return false;
    return keys.every((k, i) => {
      if (!k.startsWith("uuid:")) return true;
      const seen = uuids.get(k);
      if (seen === undefined) uuids.set(k, m[i + 1] as string);
      return seen === undefined || seen === m[i + 1];
    });
  }
  if (typeof expected === "number") return typeof actual === "number" && expected === actual;
  if (expected === null || typeof expected !== "object") return expected === actual;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => matches(e, actual[i], uuids))
    );
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
  const ek = Object.keys(expected);
  const ak = Object.keys(actual);
  return (
    ek.length === ak.length &&
    ek.every(
      (k) =>
        Object.hasOwn(actual, k) && matches((expected as never)[k], (actual as never)[k], uuids),
    )
  );
}

const short = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? "undefined" : s.length > 400 ? `${s.slice(0, 400)}…` : s;
};

let counter = 0;

/** Loads the fixture into S3, runs the case through the wire API and judges it. */
export async function judgeS3Case(raw: S3Case, sfn: SFNClient, s3: S3Client): Promise<S3Verdict> {
  const c = localise(raw);
  for (const b of c.setup.s3_buckets) {
    await s3.send(new CreateBucketCommand({ Bucket: b })).catch((e: Error) => {
      if (!/BucketAlready/.test(e.name)) throw e;
    });
  }
  for (const o of c.setup.s3_objects) {
    await s3.send(new PutObjectCommand({ Bucket: o.bucket, Key: o.key, Body: o.body }));
  }
  const machine = await sfn.send(
    new CreateStateMachineCommand({
      name: `${c.state_machine.name}-${++counter}`,
      definition: JSON.stringify(c.definition),
      roleArn: `arn:aws:iam::${ACCOUNT}:role/s3map-corpus`,
      type: c.state_machine.type,
    }),
  );
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: machine.stateMachineArn,
      input: JSON.stringify(c.input),
    }),
  );
  let d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  for (let i = 0; d.status === "RUNNING" && i < 600; i++) {
    await new Promise((r) => setTimeout(r, 50));
    d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  }
  const diffs: string[] = [];
  const exp = c.expected;
  if (d.status !== exp.status)
    diffs.push(`status: expected ${exp.status}, got ${d.status} (${d.error}: ${d.cause})`);
  if (exp.status === "SUCCEEDED" && d.status === "SUCCEEDED") {
    const output = JSON.parse(d.output ?? "null") as Json;
    if (!matches(exp.output, output))
      diffs.push(`output:\n    expected ${short(exp.output)}\n    actual   ${short(output)}`);
  } else if (exp.status !== "SUCCEEDED") {
    if (exp.error !== undefined && d.error !== exp.error)
      diffs.push(`error: expected ${exp.error}, got ${d.error}`);
    if (exp.cause !== undefined && d.cause !== exp.cause)
      diffs.push(`cause: expected ${short(exp.cause)}, got ${short(d.cause)}`);
  }
  for (const o of c.expected_s3_objects ?? []) {
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key }));
      const body = await got.Body?.transformToString();
      if (body !== o.body)
        diffs.push(`s3://${o.bucket}/${o.key}: body ${short(body)}, expected ${short(o.body)}`);
      if (got.ETag !== o.get_object.ETag)
        diffs.push(`s3://${o.bucket}/${o.key}: ETag ${got.ETag}, expected ${o.get_object.ETag}`);
      if (got.ContentLength !== o.get_object.ContentLength)
        diffs.push(`s3://${o.bucket}/${o.key}: ContentLength ${got.ContentLength}`);
    } catch (e) {
      diffs.push(`s3://${o.bucket}/${o.key}: ${(e as Error).name}`);
    }
  }
  const v: S3Verdict = { pass: diffs.length === 0 };
  if (diffs.length) v.diff = diffs.join("\n  ");
  if (c.history_event_types) {
    const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const types = (h.events ?? []).map((e) => e.type as string);
    v.historyMatch = matches(c.history_event_types, types);
    if (!v.historyMatch)
      v.historyDiff = `expected ${c.history_event_types.join(",")}\n  actual   ${types.join(",")}`;
  }
  return v;
}

/**
 * An S3 client for the local S3 that puts objects as the recording tests did: boto3 sends no
 * Content-Type when none is given (S3 then stores `binary/octet-stream`), the JavaScript SDK sends
 * `application/octet-stream`; the header is dropped so the fixture is stored as it was on AWS.
 */
export function localS3Client(endpoint: string): S3Client {
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  client.middlewareStack.add(
    (next, context) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (context.commandName === "PutObjectCommand" && request.headers) {
        delete request.headers["content-type"];
      }
      return next(args);
    },
    { step: "build", name: "asBoto3PutsObjects" },
  );
  return client;
}
