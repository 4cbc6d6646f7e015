/**
 * The AWS SDK service integrations, `arn:aws:states:::aws-sdk:<service>:<action>`: the action runs
 * as the matching AWS SDK for JavaScript v3 command (`s3:getObject` → `GetObjectCommand` of
 * `@aws-sdk/client-s3`) with the task's parameters as its input (AWS's PascalCase members), against
 * the endpoint configured for the service (`AWS_ENDPOINT_URL_<SERVICE>`; S3 path-style). Any
 * client the project has installed works: the package is resolved by name when the state machine
 * is loaded, and a missing one is a definition error naming the package to install. Errors are
 * `<Service>.<Exception>` as Step Functions names them (`S3.NoSuchKeyException`). Per "Integrating
 * services with the AWS SDK" (docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html).
 */
import { createRequire } from "node:module";
import type { Json, JsonObject } from "../../asl/types.ts";
import { TaskInvocationError } from "../errors.ts";

const AWS_SDK = /^arn:aws[a-z-]*:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)(\.waitForTaskToken)?$/;

/** Step Functions' service names whose SDK v3 package is spelled otherwise. */
const PACKAGE_NAMES: Record<string, string> = {
  cloudwatchlogs: "cloudwatch-logs",
  cloudwatchevents: "cloudwatch-events",
  elasticloadbalancingv2: "elastic-load-balancing-v2",
  elasticloadbalancing: "elastic-load-balancing",
  apigatewayv2: "apigatewayv2",
  sagemaker: "sagemaker",
};

/** The prefix of error names, as Step Functions spells the service (Java SDK v2 names). */
const ERROR_PREFIXES: Record<string, string> = {
  s3: "S3",
  dynamodb: "DynamoDb",
  sfn: "Sfn",
  sesv2: "SesV2",
  ses: "Ses",
  sqs: "Sqs",
  sns: "Sns",
  ec2: "Ec2",
  iam: "Iam",
  kms: "Kms",
  ecs: "Ecs",
  eks: "Eks",
};

export interface AwsSdkResource {
  service: string;
  action: string;
  /** `@aws-sdk/client-<service>`. */
  packageName: string;
  waitForTaskToken: boolean;
}

export function parseAwsSdkResource(resource: string): AwsSdkResource | undefined {
  const m = AWS_SDK.exec(resource);
  if (!m) return undefined;
  const service = m[1] as string;
  return {
    service,
    action: m[2] as string,
    packageName: `@aws-sdk/client-${PACKAGE_NAMES[service] ?? service}`,
    waitForTaskToken: m[3] !== undefined,
  };
}

const require = createRequire(import.meta.url);
type SdkModule = Record<string, unknown>;
const modules = new Map<string, SdkModule | null>();

/** The installed client package (loaded once), or null when it is not installed. */
function clientModule(packageName: string): SdkModule | null {
  let mod = modules.get(packageName);
  if (mod === undefined) {
    try {
      mod = require(packageName) as SdkModule;
    } catch {
      mod = null;
    }
    modules.set(packageName, mod);
  }
  return mod;
}

const commandName = (action: string) =>
  `${action[0]?.toUpperCase() ?? ""}${action.slice(1)}Command`;

/**
 * Why an `aws-sdk:` resource cannot run here (a definition error at load), or undefined when it
 * can: its client package is installed and has the action's command.
 */
export function awsSdkProblem(resource: string): string | undefined {
  const r = parseAwsSdkResource(resource);
  if (!r) return undefined;
  const mod = clientModule(r.packageName);
  if (!mod) {
    return `The resource ${resource} needs the AWS SDK client ${r.packageName}, which is not installed: run npm install ${r.packageName}`;
  }
  if (typeof mod[commandName(r.action)] !== "function") {
    return `The resource ${resource} names an action that ${r.packageName} does not have (${commandName(r.action)}); check the action's name in the service's API reference`;
  }
  return undefined;
}

type Client = { send(command: unknown): Promise<Record<string, unknown>>; destroy(): void };

/** Runs `aws-sdk:` tasks; one client per service, made on first use. */
export class AwsSdkInvoker {
  private readonly clients = new Map<string, Client>();

  constructor(
    private readonly region: string,
    private readonly provided: Record<string, unknown> = {},
  ) {}

  async invoke(r: AwsSdkResource, params: Json): Promise<Json> {
    if (params === null || typeof params !== "object" || Array.isArray(params)) {
      throw new TaskInvocationError(
        "States.Runtime",
        `The ${r.service}:${r.action} parameters must be an object, got ${JSON.stringify(params)}`,
      );
    }
    const mod = clientModule(r.packageName);
    const Command = mod?.[commandName(r.action)] as (new (input: unknown) => unknown) | undefined;
    if (!mod || !Command) {
      throw new TaskInvocationError(
        "States.Runtime",
        awsSdkProblem(`arn:aws:states:::aws-sdk:${r.service}:${r.action}`) ?? "",
      );
    }
    const input = r.service === "s3" && r.action === "putObject" ? s3PutInput(params) : params;
    let out: Record<string, unknown>;
    try {
      out = await this.client(r, mod).send(new Command(input));
    } catch (error) {
      throw sdkError(r, error);
    }
    const { $metadata: _m, ...result } = out;
    // A streaming body (S3 GetObject) is read whole, as text, as Step Functions returns it.
    const body = result.Body as { transformToString?: () => Promise<string> } | undefined;
    if (body && typeof body.transformToString === "function") {
      result.Body = await body.transformToString();
    }
    return toJson(result) as Json;
  }

  close(): void {
    for (const c of this.clients.values()) c.destroy();
  }

  private client(r: AwsSdkResource, mod: SdkModule): Client {
    let c = this.clients.get(r.service) ?? (this.provided[r.service] as Client | undefined);
    if (c) return c;
    const name = Object.keys(mod).find(
      (k) => k.endsWith("Client") && k !== "__Client" && typeof mod[k] === "function",
    );
    const Ctor = mod[name as string] as new (config: Record<string, unknown>) => Client;
    const env = process.env;
    c = new Ctor({
      region: env.AWS_REGION ?? this.region,
      ...(r.service === "s3" ? { forcePathStyle: true } : {}),
      ...(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE
        ? {}
        : { credentials: { accessKeyId: "local", secretAccessKey: "local" } }),
    });
    this.clients.set(r.service, c);
    return c;
  }
}

/** Step Functions writes a PutObject Body as JSON text (a string too, quoted: recorded). */
function s3PutInput(params: JsonObject): JsonObject {
  if (params.Body === undefined) return params;
  const out: JsonObject = { ...params, Body: JSON.stringify(params.Body) };
  if (params.ContentType === undefined) out.ContentType = "text/plain; charset=UTF-8";
  return out;
}

/** An SDK result as JSON: bytes as text, dates as ISO strings. */
function toJson(v: unknown): unknown {
  if (v === null || v === undefined) return v ?? null;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("utf8");
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJson(x);
    return out;
  }
  return v;
}

function sdkError(r: AwsSdkResource, error: unknown): TaskInvocationError {
  const err = error as Error & { $metadata?: { httpStatusCode?: number; requestId?: string } };
  let code = err.name || "UnknownError";
  // The JavaScript SDK names S3's errors by their code (`NoSuchKey`); Step Functions by the
  // exception class (`NoSuchKeyException`).
  if (!code.endsWith("Exception") && !code.endsWith("Error")) code = `${code}Exception`;
  const service =
    ERROR_PREFIXES[r.service] ?? `${r.service[0]?.toUpperCase()}${r.service.slice(1)}`;
  const status = err.$metadata?.httpStatusCode ?? 400;
  return new TaskInvocationError(
    `${service}.${code}`,
    `${err.message} (Service: ${service}, Status Code: ${status}, Request ID: ${err.$metadata?.requestId ?? ""})`,
    { cause: error },
  );
}
