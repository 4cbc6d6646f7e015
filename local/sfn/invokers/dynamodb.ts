/**
 * DynamoDB optimized integrations (`arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`)
 * through `@aws-sdk/client-dynamodb`; the endpoint comes from configuration
 * (`AWS_ENDPOINT_URL_DYNAMODB`), so locally it is DynamoDB Local. Errors keep AWS's names with the
 * `DynamoDB.` prefix, e.g. `DynamoDB.ConditionalCheckFailedException`.
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

export type DynamoAction = "getItem" | "putItem" | "updateItem" | "deleteItem";

const COMMANDS = {
  getItem: GetItemCommand,
  putItem: PutItemCommand,
  updateItem: UpdateItemCommand,
  deleteItem: DeleteItemCommand,
} as const;

/** Creates the client lazily, so a runtime without DynamoDB tasks never needs an endpoint. */
export class DynamoInvoker {
  private client: DynamoDBClient | undefined;

  constructor(
    private readonly region: string,
    private readonly provided?: DynamoDBClient,
  ) {}

  async invoke(action: DynamoAction, params: Json): Promise<Json> {
    if (params === null || typeof params !== "object" || Array.isArray(params)) {
      throw new TaskInvocationError(
        "States.Runtime",
        `The ${action} parameters must be an object, got ${JSON.stringify(params)}`,
      );
    }
    // biome-ignore lint/suspicious/noExplicitAny: parameters are the API's own JSON shape
    const Command = COMMANDS[action] as any;
    try {
      const out = (await this.dynamo().send(new Command(params))) as unknown;
      const { $metadata, ...result } = out as { $metadata?: { requestId?: string } };
      const requestId = $metadata?.requestId ?? "";
      return JSON.parse(
        JSON.stringify({
          ...result,
          SdkHttpMetadata: {
            AllHttpHeaders: { "Content-Type": ["application/x-amz-json-1.0"] },
            HttpHeaders: { "Content-Type": "application/x-amz-json-1.0" },
            HttpStatusCode: 200,
          },
          SdkResponseMetadata: { RequestId: requestId },
        }),
      ) as Json;
    } catch (error) {
      const err = error as Error & {
        $metadata?: { httpStatusCode?: number; requestId?: string };
      };
      const code = err.name || "UnknownError";
      const status = err.$metadata?.httpStatusCode ?? 400;
      throw new TaskInvocationError(
        `DynamoDB.${code}`,
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
