/**
 * What a Task's Resource says about it: whether it waits for a task token, which Lambda function
 * it calls, and whether it only reads. Resource ARN forms follow AWS's "Integrating services with
 * Step Functions" (optimized `arn:aws:states:::service:action[.pattern]`, AWS SDK
 * `arn:aws:states:::aws-sdk:service:action`, plain Lambda and activity ARNs, HTTP Task
 * `arn:aws:states:::http:invoke`).
 */
import type { Json } from "../types.ts";
import { isObject, type StateRef } from "./walk.ts";

/** The request fields: `Parameters` (JSONPath) or `Arguments` (JSONata). */
function request(ref: StateRef): Record<string, Json> | undefined {
  const r = ref.state.Arguments ?? ref.state.Parameters;
  return isObject(r) ? r : undefined;
}

export function resourceOf(ref: StateRef): string {
  return typeof ref.state.Resource === "string" ? ref.state.Resource : "";
}

/** `.waitForTaskToken`: the task ends only when someone calls SendTask* with its token. */
export function waitsForToken(ref: StateRef): boolean {
  return ref.type === "Task" && resourceOf(ref).endsWith(".waitForTaskToken");
}

/**
 * Names a Task can be matched by for `read-only`: the Lambda FunctionName as written (it may be a
 * name, an ARN or a placeholder such as `${LookupFunctionArn}`), the function name inside an ARN,
 * and the Resource itself.
 */
export function functionNames(ref: StateRef): string[] {
  const out: string[] = [];
  const resource = resourceOf(ref);
  const fn = request(ref)?.FunctionName ?? request(ref)?.["FunctionName.$"];
  for (const v of [fn, resource]) {
    if (typeof v !== "string" || v === "") continue;
    out.push(v);
    const m = /:function:([^:]+)/.exec(v);
    if (m?.[1]) out.push(m[1]);
  }
  return out;
}

/** Actions of AWS SDK integrations that only read, by their API verb. */
const READ_VERB = /^(get|list|describe|query|scan|batchGet|head|search|lookup)[A-Z0-9]?/;
const SAFE_HTTP = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a Task is read-only by what it calls: DynamoDB `getItem` (optimized or SDK), any AWS SDK
 * action whose verb only reads (`s3:getObject`, `dynamodb:query`, `ec2:describeInstances`), or an
 * HTTP Task with a safe method. Lambda functions, activities and everything else may change
 * something; users mark their read-only functions (see `policy.ts`).
 */
export function readOnlyByResource(ref: StateRef): boolean {
  const resource = resourceOf(ref);
  const m = /^arn:aws[\w-]*:states:::(?:aws-sdk:)?([\w-]+):([\w]+)(?:\.\w+)?$/.exec(resource);
  if (!m) return false;
  const [, service, action] = m as unknown as [string, string, string];
  if (service === "http" && action === "invoke") {
    const method = request(ref)?.Method;
    return typeof method === "string" && SAFE_HTTP.has(method.toUpperCase());
  }
  if (service === "lambda" || service === "states" || service === "http") return false;
  return READ_VERB.test(action);
}
