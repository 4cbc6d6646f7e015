/**
 * The optimized Lambda integration (`arn:aws:states:::lambda:invoke`): which event a `Payload`
 * gives the function, and AWS's result around the function's response — `ExecutedVersion`,
 * `Payload`, `SdkHttpMetadata` (the Invoke response's headers), `SdkResponseMetadata`,
 * `StatusCode`, and `LogResult` for `LogType: Tail`.
 * See https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
import { randomBytes } from "node:crypto";
import type { Json, JsonObject } from "../../asl/types.ts";
import type { LambdaResponse } from "./lambda.ts";
import { httpDate, sdkMetadata } from "./sdk-metadata.ts";

/**
 * The function's event for a `Payload` parameter: absent or null sends `{}`; a string is the
 * request body as it is when it is JSON text, else it is sent as a JSON string.
 */
export function eventOf(payload: Json | undefined): Json {
  if (payload === undefined || payload === null) return {};
  if (typeof payload !== "string") return payload;
  try {
    return JSON.parse(payload) as Json;
  } catch {
    return payload;
  }
}

/** The integration's result for a successful invocation at `now` (epoch ms). */
export function lambdaInvokeResult(r: LambdaResponse, params: JsonObject, now: number): JsonObject {
  const traceId = `root=1-${Math.floor(now / 1000).toString(16)}-${randomBytes(12).toString("hex")};sampled=0`;
  const log = params.LogType === "Tail" ? logTail(r) : undefined;
  // In the order of AWS's recordings.
  const headers: Array<[string, string]> = [
    ...(log ? [["X-Amz-Log-Result", log] as [string, string]] : []),
    ["X-Amz-Executed-Version", "$LATEST"],
    ["x-amzn-Remapped-Content-Length", "0"],
    ["Connection", "keep-alive"],
    ["x-amzn-RequestId", r.requestId],
    ["Content-Length", String(r.bodyBytes)],
    ["Date", httpDate(now)],
    ["X-Amzn-Trace-Id", traceId],
    ["Content-Type", "application/json"],
  ];
  return {
    ExecutedVersion: "$LATEST",
    ...(log ? { LogResult: log } : {}),
    Payload: r.payload,
    ...sdkMetadata(headers, r.requestId),
    StatusCode: 200,
  };
}

/**
 * What `LogType: Tail` returns: the base64 of the invocation's last log lines, as Lambda writes
 * them (START, END and REPORT; the handler's own output is not captured in process).
 */
function logTail(r: LambdaResponse): string {
  const id = r.requestId;
  const ms = Math.max(r.durationMs, 0.01).toFixed(2);
  const text =
    `START RequestId: ${id} Version: $LATEST\n` +
    `END RequestId: ${id}\n` +
    `REPORT RequestId: ${id}\tDuration: ${ms} ms\tBilled Duration: ${Math.ceil(Number(ms))} ms\t` +
    `Memory Size: ${r.memoryMB} MB\tMax Memory Used: ${Math.min(r.memoryMB, 64)} MB\t\n`;
  return Buffer.from(text, "utf8").toString("base64");
}
