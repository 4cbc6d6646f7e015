/**
 * Which response shape a Task resource's result has, for TestState's mock check: the optimized
 * integrations (`lambda:invoke`, `dynamodb:*`, `states:startExecution` and its `.sync` forms) and
 * `aws-sdk:<service>:<action>`. Shapes of Step Functions, DynamoDB and SES v2 come from the
 * installed `@aws-sdk/client-*` packages' schema objects (loaded on first use); a few others from
 * the vendored table. A resource with no known shape is not checked.
 */
import type { Json } from "../../asl/types.ts";
import { checkShape, fromSdkSchema, type Shape } from "./shapes.ts";
import { VENDORED_SHAPES } from "./vendored-shapes.ts";

/** SDK client packages this project installs, by the service name Task resources use. */
const SDK_CLIENTS: Record<string, () => Promise<Record<string, unknown>>> = {
  sfn: () => import("@aws-sdk/client-sfn") as Promise<Record<string, unknown>>,
  states: () => import("@aws-sdk/client-sfn") as Promise<Record<string, unknown>>,
  dynamodb: () => import("@aws-sdk/client-dynamodb") as Promise<Record<string, unknown>>,
  sesv2: () => import("@aws-sdk/client-sesv2") as Promise<Record<string, unknown>>,
};

const OPTIMIZED =
  /^arn:aws[a-z-]*:states:::([a-z0-9-]+):([A-Za-z0-9]+)(\.sync:2|\.sync|\.waitForTaskToken)?$/;
const AWS_SDK =
  /^arn:aws[a-z-]*:states:::aws-sdk:([a-z0-9-]+):([A-Za-z0-9]+)(\.waitForTaskToken)?$/;

const cache = new Map<string, Shape | null>();

/** The shape of `resource`'s result, or undefined when none is known here. */
export async function resultShape(resource: string): Promise<Shape | undefined> {
  const hit = cache.get(resource);
  if (hit !== undefined) return hit ?? undefined;
  const shape = (await lookUp(resource)) ?? null;
  cache.set(resource, shape);
  return shape ?? undefined;
}

async function lookUp(resource: string): Promise<Shape | undefined> {
  const sdk = AWS_SDK.exec(resource);
  if (sdk) return serviceShape(sdk[1] as string, sdk[2] as string);
  const m = OPTIMIZED.exec(resource);
  if (!m) return undefined;
  const [, service, action, suffix] = m as unknown as [string, string, string, string?];
  if (service === "states" && action === "startExecution" && suffix?.startsWith(".sync")) {
    const describe = await serviceShape("sfn", "describeExecution");
    // `.sync:2` returns the child's Input and Output as JSON, not as JSON text.
    if (describe?.type === "structure" && suffix === ".sync:2") {
      const document = (): Shape => ({ type: "document" });
      return { ...describe, members: { ...describe.members, Input: document, Output: document } };
    }
    return describe;
  }
  // API Gateway and HTTP tasks have no AWS SDK operation behind them (connect-api-gateway.html).
  if (service === "apigateway" || service === "http") return undefined;
  return serviceShape(service, action);
}

async function serviceShape(service: string, action: string): Promise<Shape | undefined> {
  const vendored = VENDORED_SHAPES.get(`${service}:${action}`);
  if (vendored) return vendored;
  const load = SDK_CLIENTS[service];
  if (!load) return undefined;
  const client = await load();
  const op = client[`${action.charAt(0).toUpperCase()}${action.slice(1)}$`];
  // An operation schema is [9, namespace, name, traits, input, output].
  if (!Array.isArray(op) || op[0] !== 9) return undefined;
  return fromSdkSchema(op[5]);
}

/** TestState's `checkMockResult`: AWS's message when the mocked result breaks the shape. */
export async function checkMockResult(
  resource: string,
  result: Json,
  mode: "STRICT" | "PRESENT",
): Promise<string | undefined> {
  const shape = await resultShape(resource);
  return shape ? checkShape(result, shape, mode) : undefined;
}
