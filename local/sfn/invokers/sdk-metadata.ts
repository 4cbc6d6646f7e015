/**
 * The `SdkHttpMetadata` / `SdkResponseMetadata` members Step Functions adds to the results of its
 * optimized integrations (Lambda, DynamoDB, Step Functions): the HTTP response headers of the
 * service call, all of them as lists (`AllHttpHeaders`, in the order given) and one value each
 * (`HttpHeaders`, sorted by name without regard to case, as AWS's recordings show them).
 */
import type { JsonObject } from "../../asl/types.ts";

/** The two members for a 200 response with these headers (name, value) and request id. */
export function sdkMetadata(headers: Array<[string, string]>, requestId: string): JsonObject {
  const all: JsonObject = {};
  for (const [name, value] of headers) all[name] = [value];
  const single: JsonObject = {};
  const sorted = [...headers].sort(([a], [b]) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const [name, value] of sorted) single[name] = value;
  return {
    SdkHttpMetadata: { AllHttpHeaders: all, HttpHeaders: single, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

let table: Uint32Array | undefined;

/** CRC-32 of a text's UTF-8 bytes (DynamoDB's `x-amz-crc32` header). */
export function crc32(text: string): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, "utf8")) {
    crc = (table[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** An HTTP date (`Thu, 18 Apr 2024 06:17:37 GMT`) for epoch ms. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/**
 * A number as Java's `Double.toString` writes it, which is how AWS's JSON services write
 * timestamps (`1.713421057123E9`): the size of an AWS response body depends on it.
 */
export function javaDouble(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (n === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const s = String(n);
    return s.includes(".") || s.includes("e") ? s : `${s}.0`;
  }
  const [mantissa = "0", exponent = "0"] = n.toExponential().split("e");
  const m = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exponent)}`;
}
