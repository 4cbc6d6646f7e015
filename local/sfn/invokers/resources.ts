/**
 * Which Task resources the local runtime can run, and how: the service integration, the action and
 * the integration pattern (request-response, `.waitForTaskToken`, `.sync`, `.sync:2`).
 * See https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html
 */
import { Lru } from "../lru.ts";
import { type AwsSdkResource, awsSdkProblem, parseAwsSdkResource } from "./aws-sdk.ts";

export type Pattern = "request" | "waitForTaskToken" | "sync" | "sync2";

export type ResolvedResource =
  | { service: "lambda"; functionName: string; pattern: "request" }
  | { service: "lambda:invoke"; pattern: "request" | "waitForTaskToken" }
  | {
      service: "dynamodb";
      action: "getItem" | "putItem" | "updateItem" | "deleteItem";
      pattern: "request";
    }
  | { service: "states:startExecution"; pattern: Pattern }
  | { service: "aws-sdk"; sdk: AwsSdkResource; pattern: "request" | "waitForTaskToken" }
  /** An activity: the task waits for a worker (GetActivityTask), never for a token pattern. */
  | { service: "activity"; activityArn: string; pattern: "request" };

const LAMBDA_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]{1,64})(:[^:]+)?$/;
const ACTIVITY_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:activity:[^:]+$/;
const OPTIMIZED =
  /^arn:aws[a-z-]*:states:::([a-z]+):([A-Za-z]+)(\.waitForTaskToken|\.sync:2|\.sync)?$/;

function patternOf(suffix: string | undefined): Pattern {
  if (suffix === ".waitForTaskToken") return "waitForTaskToken";
  if (suffix === ".sync") return "sync";
  if (suffix === ".sync:2") return "sync2";
  return "request";
}

// Resources come from definitions: a few distinct strings, each resolved on every task.
const resolved = new Lru<string, ResolvedResource | null>(256);

/** How to run `resource`, or undefined when the local runtime does not support it. */
export function resolveResource(resource: string): ResolvedResource | undefined {
  let r = resolved.get(resource);
  if (r === undefined) {
    r = parseResource(resource) ?? null;
    resolved.set(resource, r);
  }
  return r ?? undefined;
}

function parseResource(resource: string): ResolvedResource | undefined {
  const sdk = parseAwsSdkResource(resource);
  if (sdk) {
    if (awsSdkProblem(resource)) return undefined;
    return {
      service: "aws-sdk",
      sdk,
      pattern: sdk.waitForTaskToken ? "waitForTaskToken" : "request",
    };
  }
  const fn = LAMBDA_ARN.exec(resource);
  if (fn) return { service: "lambda", functionName: fn[1] as string, pattern: "request" };
  if (ACTIVITY_ARN.test(resource)) {
    return { service: "activity", activityArn: resource, pattern: "request" };
  }
  const m = OPTIMIZED.exec(resource);
  if (!m) return undefined;
  const [, service, action, suffix] = m;
  const pattern = patternOf(suffix);
  if (service === "lambda" && action === "invoke") {
    if (pattern === "request" || pattern === "waitForTaskToken") {
      return { service: "lambda:invoke", pattern };
    }
    return undefined;
  }
  if (service === "dynamodb" && pattern === "request") {
    if (
      action === "getItem" ||
      action === "putItem" ||
      action === "updateItem" ||
      action === "deleteItem"
    ) {
      return { service: "dynamodb", action, pattern };
    }
    return undefined;
  }
  if (service === "states" && action === "startExecution") {
    return { service: "states:startExecution", pattern };
  }
  return undefined;
}

/** Why a resource cannot run here, when there is more to say than "unknown" (a client to install). */
export function unknownResourceReason(resource: string): string | undefined {
  return awsSdkProblem(resource);
}

/** `isKnownResource` for `compile`: unknown resources fail at CreateStateMachine. */
export function isKnownResource(resource: string): boolean {
  return resolveResource(resource) !== undefined;
}
