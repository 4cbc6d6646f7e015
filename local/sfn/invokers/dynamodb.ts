/**
 * DynamoDB optimized integrations (`arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`)
 * through `@aws-sdk/client-dynamodb`; the endpoint comes from configuration
 * (`AWS_ENDPOINT_URL_DYNAMODB`), so locally it is DynamoDB Local. The result carries the response's
 * HTTP metadata as AWS's does; errors are `DynamoDB.<Java SDK exception>`: the modeled ones by name
 * (`DynamoDB.ConditionalCheckFailedException`), any other `DynamoDB.AmazonDynamoDBException`.
 * See https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 */
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { Json } from "../../asl/types.ts";
import { TaskInvocationError } from "../errors.ts";
import { crc32, httpDate, sdkMetadata } from "./sdk-metadata.ts";

export type DynamoAction = "getItem" | "putItem" | "updateItem" | "deleteItem";

const COMMANDS = {
  getItem: GetItemCommand,
  putItem: PutItemCommand,
  updateItem: UpdateItemCommand,
  deleteItem: DeleteItemCommand,
} as const;

/** The exceptions the Java SDK (AmazonDynamoDBv2) models; Step Functions reports them by name. */
const MODELED = new Set([
  "ConditionalCheckFailedException",
  "InternalServerErrorException",
  "ItemCollectionSizeLimitExceededException",
  "LimitExceededException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "ResourceInUseException",
  "ResourceNotFoundException",
  "TransactionCanceledException",
  "TransactionConflictException",
  "TransactionInProgressException",
]);

type Next = (args: unknown) => Promise<{ response: { headers?: Record<string, string> } }>;

/** Creates the client lazily, so a runtime without DynamoDB tasks never needs an endpoint. */
export class DynamoInvoker {
  private client: DynamoDBClient | undefined;

  constructor(
    private readonly region: string,
    private readonly provided?: DynamoDBClient,
    /** The runtime's clock (response dates). */
    private readonly now: () => number = Date.now,
  ) {}

  async invoke(action: DynamoAction, params: Json): Promise<Json> {
    if (params === null || typeof params !== "object" || Array.isArray(params)) {
      throw new TaskInvocationError(
        "States.Runtime",
        `The ${action} parameters must be an object, got ${JSON.stringify(params)}`,
      );
    }
    // biome-ignore lint/suspicious/noExplicitAny: parameters are the API's own JSON shape
    const command = new (COMMANDS[action] as any)(params);
    // The response's headers, for SdkHttpMetadata (the SDK's output does not keep them).
    let headers: Record<string, string> = {};
    command.middlewareStack.add(
      (next: Next) => async (args: unknown) => {
        const out = await next(args);
        headers = out.response.headers ?? {};
        return out;
      },
      { step: "deserialize", name: "countersignResponseHeaders" },
    );
    try {
      const out = (await this.dynamo().send(command)) as unknown;
      const { $metadata, ...result } = out as { $metadata?: { requestId?: string } };
      const requestId = $metadata?.requestId ?? headers["x-amzn-requestid"] ?? "";
      const body = JSON.stringify(result);
      return JSON.parse(
        JSON.stringify({
          ...result,
          // In the order of AWS's recordings; AWS's front end answers `Server: Server`.
          ...sdkMetadata(
            [
              ["Server", "Server"],
              ["Connection", "keep-alive"],
              ["x-amzn-RequestId", requestId],
              ["x-amz-crc32", headers["x-amz-crc32"] ?? String(crc32(body))],
              ["Content-Length", headers["content-length"] ?? String(Buffer.byteLength(body))],
              ["Date", httpDate(this.now())],
              ["Content-Type", "application/x-amz-json-1.0"],
            ],
            requestId,
          ),
        }),
      ) as Json;
    } catch (error) {
      const err = error as Error & {
        $metadata?: { httpStatusCode?: number; requestId?: string };
      };
      const code = err.name || "UnknownError";
      const status = err.$metadata?.httpStatusCode ?? 400;
      const type = MODELED.has(code) ? code : "AmazonDynamoDBException";
      throw new TaskInvocationError(
        `DynamoDB.${type}`,
        `${err.message} (Service: AmazonDynamoDBv2; Status Code: ${status}; Error Code: ${code}; Request ID: ${err.$metadata?.requestId ?? ""}; Proxy: null)`,
        { cause: error },
      );
    }
  }

  private dynamo(): DynamoDBClient {
    if (this.provided) return this.provided;
    const env = process.env;
    this.client ??= new DynamoDBClient({
      region: env.AWS_REGION ?? this.region,
      // Local emulators accept any key; real credentials win when configured.
      ...(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE
        ? {}
        : { credentials: { accessKeyId: "local", secretAccessKey: "local" } }),
    });
    return this.client;
  }

  close(): void {
    this.client?.destroy();
  }
}
