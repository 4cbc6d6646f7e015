/**
 * A Distributed Map's ItemReader: the items of one S3 object (JSON array, JSON Lines, CSV), of an
 * S3 inventory (`manifest.json` and its CSV files, gzipped or not), or of an S3 listing
 * (`s3:listObjectsV2` with a Prefix), cut to ReaderConfig.MaxItems. Failures are
 * `States.ItemReaderFailed` with the cause AWS records (`field MaxItems must be positive`) or the
 * S3 error. Per "ItemReader (Map)" (docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html).
 */
import { gunzipSync } from "node:zlib";
import type { Json, JsonObject, MapRunPlan } from "../../asl/index.ts";
import { delimiterOf, parseCsv, rowsToItems } from "./csv.ts";
import type { S3Access } from "./s3-access.ts";

/** AWS's ceiling for MaxItems: a larger value reads everything, as recorded. */
const MAX_ITEMS_LIMIT = 100_000_000;

/** A reader failure with AWS's error name. */
export class ItemReaderError extends Error {
  override name = "ItemReaderError";
  readonly error = "States.ItemReaderFailed";
}

type Reader = NonNullable<MapRunPlan["reader"]>;

/** MaxItems as AWS reads it: a number or a numeric string; negative fails; 0 or none is no limit. */
export function maxItemsOf(v: Json | undefined): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw new ItemReaderError(`field MaxItems must be an integer, got ${JSON.stringify(v)}`);
  }
  if (n < 0) throw new ItemReaderError("field MaxItems must be positive");
  return n > MAX_ITEMS_LIMIT ? 0 : n;
}

function text(v: Json | undefined, field: string): string {
  if (typeof v !== "string" || v === "") {
    throw new ItemReaderError(
      `The ItemReader parameters need ${field} (a string), got ${JSON.stringify(v ?? null)}`,
    );
  }
  return v;
}

/** S3's error as a reader failure (`NoSuchKey`, `NoSuchBucket`, ...). */
function s3Failure(e: unknown, what: string): ItemReaderError {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  return new ItemReaderError(
    `Amazon S3 could not read ${what}: ${err.message ?? String(e)} (Service: S3, Status Code: ${status ?? "?"}, Error Code: ${err.name ?? "Unknown"})`,
  );
}

async function getText(s3: S3Access, bucket: string, key: string): Promise<string> {
  let body: Buffer;
  try {
    ({ body } = await s3.getObject(bucket, key));
  } catch (e) {
    throw s3Failure(e, `s3://${bucket}/${key}`);
  }
  // S3 inventory files are gzipped CSV.
  if (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b) body = gunzipSync(body);
  return body.toString("utf8");
}

function csvItems(content: string, config: JsonObject, limit: number): Json[] {
  const delimiter = (() => {
    try {
      return delimiterOf(config.CSVDelimiter);
    } catch (e) {
      throw new ItemReaderError((e as Error).message);
    }
  })();
  const location = config.CSVHeaderLocation ?? "FIRST_ROW";
  if (location === "GIVEN") {
    const headers = config.CSVHeaders;
    if (!Array.isArray(headers) || headers.some((h) => typeof h !== "string")) {
      throw new ItemReaderError("CSVHeaderLocation GIVEN needs CSVHeaders, an array of strings");
    }
    return rowsToItems(parseCsv(content, delimiter, limit), headers as string[]);
  }
  if (location !== "FIRST_ROW") {
    throw new ItemReaderError(
      `CSVHeaderLocation must be FIRST_ROW or GIVEN, got ${JSON.stringify(location)}`,
    );
  }
  const rows = parseCsv(content, delimiter, limit > 0 ? limit + 1 : 0);
  const [headers, ...rest] = rows;
  return headers ? rowsToItems(rest, headers) : [];
}

function jsonItems(content: string, config: JsonObject): Json[] {
  let parsed: Json;
  try {
    parsed = JSON.parse(content) as Json;
  } catch (e) {
    throw new ItemReaderError(`The object is not valid JSON: ${(e as Error).message}`);
  }
  // ItemsPointer (a JSON Pointer) selects a nested array of a JSON object.
  if (typeof config.ItemsPointer === "string" && config.ItemsPointer !== "") {
    for (const part of config.ItemsPointer.split("/").slice(1)) {
      const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
      parsed =
        parsed !== null && typeof parsed === "object"
          ? ((parsed as Record<string, Json>)[key] ?? null)
          : null;
    }
  }
  if (!Array.isArray(parsed)) {
    throw new ItemReaderError(
      "Attempting to map over non-iterable node: the JSON object is not an array",
    );
  }
  return parsed;
}

function jsonlItems(content: string): Json[] {
  const out: Json[] = [];
  for (const [n, line] of content.split(/\r?\n/).entries()) {
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line) as Json);
    } catch (e) {
      throw new ItemReaderError(`Line ${n + 1} is not valid JSON: ${(e as Error).message}`);
    }
  }
  return out;
}

/** An S3 inventory: its manifest's files, read with the manifest's column names. */
async function inventoryItems(
  s3: S3Access,
  bucket: string,
  key: string,
  limit: number,
): Promise<Json[]> {
  let manifest: JsonObject;
  try {
    manifest = JSON.parse(await getText(s3, bucket, key)) as JsonObject;
  } catch (e) {
    if (e instanceof ItemReaderError) throw e;
    throw new ItemReaderError(`The manifest s3://${bucket}/${key} is not valid JSON`);
  }
  const files = manifest.files;
  const schema = manifest.fileSchema;
  if (!Array.isArray(files) || typeof schema !== "string") {
    throw new ItemReaderError(
      `The manifest s3://${bucket}/${key} needs "files" and "fileSchema" (an S3 inventory manifest)`,
    );
  }
  if (manifest.fileFormat !== undefined && manifest.fileFormat !== "CSV") {
    throw new ItemReaderError(
      `Only CSV inventories are supported, got fileFormat ${JSON.stringify(manifest.fileFormat)}`,
    );
  }
  const headers = schema.split(",").map((h) => h.trim());
  const dest = typeof manifest.destinationBucket === "string" ? manifest.destinationBucket : bucket;
  const fileBucket = dest.startsWith("arn:aws:s3:::") ? dest.slice("arn:aws:s3:::".length) : dest;
  const items: Json[] = [];
  for (const f of files as JsonObject[]) {
    const content = await getText(s3, fileBucket, text(f.key, "files[].key"));
    items.push(...rowsToItems(parseCsv(content, ","), headers));
    if (limit > 0 && items.length >= limit) break;
  }
  return items;
}

async function listingItems(s3: S3Access, params: JsonObject, limit: number): Promise<Json[]> {
  const bucket = text(params.Bucket, "Bucket");
  const prefix = typeof params.Prefix === "string" ? params.Prefix : undefined;
  const items: Json[] = [];
  let token: string | undefined;
  do {
    let page: Awaited<ReturnType<S3Access["listObjectsV2"]>>;
    try {
      page = await s3.listObjectsV2(bucket, prefix, token);
    } catch (e) {
      throw s3Failure(e, `the objects of s3://${bucket}/${prefix ?? ""}`);
    }
    for (const o of page.contents) {
      items.push({
        Etag: o.ETag,
        Key: o.Key,
        LastModified: Math.floor(o.LastModified.getTime() / 1000),
        Size: o.Size,
        StorageClass: o.StorageClass,
      });
      if (limit > 0 && items.length >= limit) return items;
    }
    token = page.next;
  } while (token);
  return items;
}

/** Reads the items an ItemReader names. */
export async function readItems(s3: S3Access, reader: Reader): Promise<Json[]> {
  const limit = maxItemsOf(reader.maxItems);
  const cut = (items: Json[]) =>
    limit > 0 && items.length > limit ? items.slice(0, limit) : items;
  if (reader.resource.endsWith(":listObjectsV2"))
    return cut(await listingItems(s3, reader.parameters, limit));
  const config = reader.config;
  const bucket = text(reader.parameters.Bucket, "Bucket");
  const key = text(reader.parameters.Key, "Key");
  const type = config.InputType ?? (config.ManifestType ? "MANIFEST" : "JSON");
  if (type === "MANIFEST") {
    if (config.ManifestType !== undefined && config.ManifestType !== "S3_INVENTORY") {
      throw new ItemReaderError(
        `ManifestType ${JSON.stringify(config.ManifestType)} is not supported locally; use S3_INVENTORY`,
      );
    }
    return cut(await inventoryItems(s3, bucket, key, limit));
  }
  const content = await getText(s3, bucket, key);
  if (type === "CSV") return cut(csvItems(content, config, limit));
  if (type === "JSON") return cut(jsonItems(content, config));
  if (type === "JSONL") return cut(jsonlItems(content));
  throw new ItemReaderError(
    `InputType must be CSV, JSON, JSONL or MANIFEST, got ${JSON.stringify(type)}`,
  );
}
