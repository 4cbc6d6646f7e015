/**
 * Response shapes of the services whose AWS SDK v3 client this project does not install, for the
 * TestState mock check: a hand-written subset (the fields most results carry, with their types,
 * lengths, ranges and enums), copied from the AWS API references named on each entry. A field not
 * listed here is accepted unchecked, as AWS accepts fields its model does not define.
 */
import type { Shape } from "./shapes.ts";

const str = (o: { min?: number; max?: number; enum?: readonly string[] } = {}): Shape => ({
  type: "string",
  ...o,
});
const num = (o: { min?: number; max?: number } = {}): Shape => ({ type: "number", ...o });
const blob = (o: { min?: number; max?: number } = {}): Shape => ({ type: "blob", ...o });
const bool: Shape = { type: "boolean" };
const time: Shape = { type: "timestamp" };
const list = (member: Shape): Shape => ({ type: "list", member: () => member });
const map = (value: Shape): Shape => ({ type: "map", value: () => value });
function struct(fields: Record<string, Shape>, required: readonly string[] = []): Shape {
  const members: Record<string, () => Shape> = {};
  for (const [k, v] of Object.entries(fields)) members[k] = () => v;
  return { type: "structure", members, required };
}

/** Lambda API Reference, "Invoke" (response elements). */
const lambdaInvoke = struct({
  StatusCode: num(),
  FunctionError: str(),
  LogResult: str(),
  Payload: blob(),
  ExecutedVersion: str({ min: 1, max: 1024 }),
});

/** Lambda API Reference, "GetFunction" and "FunctionConfiguration". */
const lambdaGetFunction = struct({
  Configuration: struct({
    FunctionName: str({ min: 1, max: 170 }),
    FunctionArn: str(),
    Runtime: str(),
    Role: str(),
    Handler: str({ max: 128 }),
    CodeSize: num(),
    Description: str({ min: 0, max: 256 }),
    Timeout: num({ min: 1 }),
    MemorySize: num({ min: 128, max: 10240 }),
    LastModified: str(),
    CodeSha256: str(),
    Version: str({ min: 1, max: 1024 }),
    State: str({ enum: ["Pending", "Active", "Inactive", "Failed"] }),
    PackageType: str({ enum: ["Zip", "Image"] }),
    Architectures: list(str({ enum: ["x86_64", "arm64"] })),
    EphemeralStorage: struct({ Size: num({ min: 512, max: 10240 }) }, ["Size"]),
  }),
  Code: struct({ RepositoryType: str(), Location: str(), ImageUri: str() }),
  Tags: map(str()),
  Concurrency: struct({ ReservedConcurrentExecutions: num({ min: 0 }) }),
});

/** AWS KMS API Reference, "Encrypt" (response elements). */
const kmsEncrypt = struct({
  CiphertextBlob: blob({ min: 1, max: 6144 }),
  KeyId: str({ min: 1, max: 2048 }),
  EncryptionAlgorithm: str({
    enum: ["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"],
  }),
});

/** Amazon S3 API Reference, "GetObject" (response headers as the SDK names them). */
const s3GetObject = struct({
  Body: blob(),
  DeleteMarker: bool,
  AcceptRanges: str(),
  LastModified: time,
  ContentLength: num(),
  ETag: str(),
  MissingMeta: num(),
  VersionId: str(),
  CacheControl: str(),
  ContentDisposition: str(),
  ContentEncoding: str(),
  ContentLanguage: str(),
  ContentRange: str(),
  ContentType: str(),
  Expires: time,
  Metadata: map(str()),
  ServerSideEncryption: str({ enum: ["AES256", "aws:kms", "aws:kms:dsse", "aws:fsx"] }),
  SSEKMSKeyId: str(),
  BucketKeyEnabled: bool,
  StorageClass: str({
    enum: [
      "STANDARD",
      "REDUCED_REDUNDANCY",
      "STANDARD_IA",
      "ONEZONE_IA",
      "INTELLIGENT_TIERING",
      "GLACIER",
      "DEEP_ARCHIVE",
      "OUTPOSTS",
      "GLACIER_IR",
      "SNOW",
      "EXPRESS_ONEZONE",
      "FSX_OPENZFS",
    ],
  }),
  RequestCharged: str({ enum: ["requester"] }),
  ReplicationStatus: str({ enum: ["COMPLETE", "PENDING", "FAILED", "REPLICA", "COMPLETED"] }),
  PartsCount: num(),
  TagCount: num(),
  ObjectLockMode: str({ enum: ["GOVERNANCE", "COMPLIANCE"] }),
  ObjectLockRetainUntilDate: time,
  ObjectLockLegalHoldStatus: str({ enum: ["ON", "OFF"] }),
});

/** Amazon SQS API Reference, "SendMessage" (response elements). */
const sqsSendMessage = struct({
  MD5OfMessageBody: str(),
  MD5OfMessageAttributes: str(),
  MD5OfMessageSystemAttributes: str(),
  MessageId: str(),
  SequenceNumber: str(),
});

/** Amazon SNS API Reference, "Publish" (response elements). */
const snsPublish = struct({ MessageId: str(), SequenceNumber: str() });

/** Amazon EventBridge API Reference, "PutEvents" (response elements). */
const eventsPutEvents = struct({
  FailedEntryCount: num(),
  Entries: list(struct({ EventId: str(), ErrorCode: str(), ErrorMessage: str() })),
});

/** By `<service>:<action>` as Task resources name them (optimized and `aws-sdk:` alike). */
export const VENDORED_SHAPES: ReadonlyMap<string, Shape> = new Map([
  ["lambda:invoke", lambdaInvoke],
  ["lambda:getFunction", lambdaGetFunction],
  ["kms:encrypt", kmsEncrypt],
  ["s3:getObject", s3GetObject],
  ["sqs:sendMessage", sqsSendMessage],
  ["sns:publish", snsPublish],
  ["events:putEvents", eventsPutEvents],
  ["eventbridge:putEvents", eventsPutEvents],
]);
