/**
 * The whole `sst.config.ts` run under Pulumi's runtime mocks, against the platform `sst install`
 * put in `.sst/platform` (scripts/sst-offline.sh): SST's own Dynamo, Email, Linkable, Secret
 * components and every raw Pulumi resource are built for real. Stand-ins replace only what SST
 * builds through its CLI: `Function` (bundles handlers over the CLI's RPC server), `Cron`,
 * `Router` and `StaticSite` (builds and uploads files); they record the arguments they get.
 * Checked: each function's handler, links, environment, memory, timeout and policy — against the
 * topology and against the local wiring built from the same description — the definition's ARNs,
 * routes, alarms, the opt-in KMS key (on in this run) and the outputs.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { functionScope, localArns } from "../../local/platform/functions.ts";
import { keyPolicy } from "../lib/key-policy.ts";
import { functionPolicy, type TopologyArns } from "../lib/policies.ts";
import { definitionSource, renderDefinition } from "../lib/state-machines.ts";
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName, SCHEDULES, TOPOLOGY } from "../topology.ts";

const root = path.resolve(import.meta.dirname, "../..");
const platform = path.join(root, ".sst/platform");
const ACCOUNT = "123456789012";
const REGION = "eu-west-1";

// biome-ignore lint/suspicious/noExplicitAny: SST's platform modules are loaded by path, untyped here.
type Any = any;
interface Registered {
  type: string;
  name: string;
  inputs: Record<string, Any>;
}
const registered: Registered[] = [];
const of = (type: string) => registered.filter((r) => r.type === type);
const one = (type: string, name?: string) => {
  const found = of(type).filter((r) => name === undefined || r.name === name);
  expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
  return found[0]!;
};

function mockArn(type: string, name: string, inputs: Record<string, Any>): string {
  const arn = (service: string, rest: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${rest}`;
  switch (type) {
    case "aws:dynamodb/table:Table":
      return arn("dynamodb", `table/${inputs.name}`);
    case "aws:sesv2/emailIdentity:EmailIdentity":
      return arn("ses", `identity/${inputs.emailIdentity}`);
    case "aws:sesv2/configurationSet:ConfigurationSet":
      return arn("ses", `configuration-set/${inputs.configurationSetName}`);
    case "aws:iam/role:Role":
      return `arn:aws:iam::${ACCOUNT}:role/${name}`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return arn("logs", `log-group:${inputs.name}`);
    case "aws:sfn/stateMachine:StateMachine":
      return arn("states", `stateMachine:${inputs.name}`);
    case "aws:kms/key:Key":
      return arn("kms", "key/k-1");
    case "aws:sqs/queue:Queue":
      return arn("sqs", name);
    case "aws:sns/topic:Topic":
      return arn("sns", name);
    case "aws:cloudwatch/eventRule:EventRule":
      return arn("events", `rule/${name}`);
    default:
      return arn("mock", name);
  }
}

const resolve = <T>(value: Any): Promise<T> =>
  value && typeof value.apply === "function"
    ? new Promise<T>((ok) => value.apply((v: T) => ok(v)))
    : Promise.resolve(value as T);

/** What a stand-in for an SST CLI-built component was given. */
interface StandIn {
  kind: "Function" | "Cron" | "Router" | "StaticSite";
  name: string;
  args: Record<string, Any>;
  routes: [string, Any][];
}
const standIns: StandIn[] = [];
const fnArn = (name: string) =>
  `arn:aws:lambda:${REGION}:${ACCOUNT}:function:countersign-test-${name}`;

let outputs: Record<string, Any>;
let $output: (v: Any) => Any;

beforeAll(async () => {
  if (!existsSync(path.join(platform, "src/components/aws/dynamo.ts"))) {
    throw new Error(
      "No SST platform in .sst/platform: run scripts/sst-offline.sh (npm run typecheck does)",
    );
  }
  const pulumi = await import(path.join(platform, "node_modules/@pulumi/pulumi/index.js"));
  pulumi.runtime.setMocks(
    {
      newResource(args: Registered) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        const arn = mockArn(args.type, args.name, args.inputs);
        const extra =
          args.type === "aws:sqs/queue:Queue"
            ? {
                url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${args.name}`,
                name: args.name,
              }
            : args.type === "aws:kms/key:Key"
              ? { keyId: "k-1" }
              : {};
        return { id: `${args.name}-id`, state: { ...args.inputs, arn, ...extra } };
      },
      call: (args: { token: string; inputs: Record<string, unknown> }) =>
        ({
          "aws:index/getPartition:getPartition": { partition: "aws" },
          "aws:index/getRegion:getRegion": { region: REGION, name: REGION },
          "aws:index/getCallerIdentity:getCallerIdentity": { accountId: ACCOUNT },
        })[args.token] ?? args.inputs,
    },
    "countersign",
    "test",
    false,
  );
  $output = pulumi.output;
  // Stand-ins for the components SST builds through its CLI: they record their arguments.
  const standIn = (kind: StandIn["kind"]) =>
    class {
      readonly record: StandIn;
      constructor(name: string, args: Record<string, Any> = {}) {
        this.record = { kind, name, args, routes: [] };
        standIns.push(this.record);
      }
      get arn() {
        return pulumi.output(fnArn(this.record.name));
      }
      get name() {
        return pulumi.output(`countersign-test-${this.record.name}`);
      }
      get url() {
        return pulumi.output(`https://${this.record.name.toLowerCase()}.example.test`);
      }
      get nodes() {
        const name = `countersign-test-${this.record.name}Handler`;
        return {
          function: {
            name: pulumi.output(name),
            arn: pulumi.output(fnArn(`${this.record.name}Handler`)),
          },
          rule: {
            arn: pulumi.output(`arn:aws:events:${REGION}:${ACCOUNT}:rule/${this.record.name}`),
          },
        };
      }
      route(prefix: string, target: Any) {
        this.record.routes.push([prefix, target]);
      }
    };
  process.env.SST_SECRET_SigningKey = "k".repeat(48);
  Object.assign(process.env, {
    COUNTERSIGN_SENDER: "orders@example.com",
    COUNTERSIGN_APPROVERS: "boss@example.com",
    COUNTERSIGN_OPERATORS: "ops@example.com",
    COUNTERSIGN_APPROVAL_THRESHOLD: "750",
    COUNTERSIGN_ALARM_EMAIL: "ops@example.com",
    COUNTERSIGN_KMS: "1",
  });
  Object.assign(globalThis, {
    $config: (c: unknown) => c,
    $app: { name: "countersign", stage: "test", removal: "remove", protect: false, providers: {} },
    $cli: {
      command: "deploy",
      rpc: "",
      paths: { root, platform, home: "", work: "" },
      state: { version: {} },
    },
    $dev: false,
    $util: pulumi,
    $output: pulumi.output,
    $resolve: pulumi.all,
    $interpolate: pulumi.interpolate,
    $concat: pulumi.concat,
    $jsonParse: pulumi.jsonParse,
    $jsonStringify: pulumi.jsonStringify,
    aws: await import(path.join(platform, "node_modules/@pulumi/aws/index.js")),
    sst: {
      aws: {
        Dynamo: (await import(path.join(platform, "src/components/aws/dynamo.ts"))).Dynamo,
        Email: (await import(path.join(platform, "src/components/aws/email.ts"))).Email,
        permission: (await import(path.join(platform, "src/components/aws/permission.ts")))
          .permission,
        Function: standIn("Function"),
        Cron: standIn("Cron"),
        Router: standIn("Router"),
        StaticSite: standIn("StaticSite"),
      },
      Linkable: (await import(path.join(platform, "src/components/linkable.ts"))).Linkable,
      Secret: (await import(path.join(platform, "src/components/secret.ts"))).Secret,
    },
  });
  const config = (await import(path.join(root, "sst.config.ts"))).default as unknown as {
    run(): Promise<Record<string, Any>>;
  };
  const out = await config.run();
  outputs = Object.fromEntries(
    await Promise.all(Object.entries(out).map(async ([k, v]) => [k, await resolve(v)])),
  );
  // Let every resource register (apply callbacks create some of them).
  await resolve(pulumi.all(registered.map(() => pulumi.output(1))));
  await new Promise((r) => setTimeout(r, 200));
}, 120_000);

/** A deployed function's recorded arguments: from its Function stand-in, or its Cron's `function`. */
function deployed(name: FunctionName): Record<string, Any> {
  const fn = standIns.find((s) => s.kind === "Function" && s.name === name);
  if (fn) return fn.args;
  const cron = standIns.find(
    (s) => s.kind === "Cron" && SCHEDULES.some((c) => c.name === s.name && c.function === name),
  );
  expect(cron, `${name} is deployed`).toBeDefined();
  return cron!.args.function;
}

async function deployedArns(): Promise<TopologyArns> {
  const table = one("aws:dynamodb/table:Table");
  const identity = one("aws:sesv2/emailIdentity:EmailIdentity");
  const configSet = one("aws:sesv2/configurationSet:ConfigurationSet");
  return {
    table: mockArn(table.type, table.name, table.inputs),
    emailIdentity: mockArn(identity.type, identity.name, identity.inputs),
    emailConfigurationSet: mockArn(configSet.type, configSet.name, configSet.inputs),
    orderSaga: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:countersign-test-OrderSaga`,
    approvalCallers: [
      `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:countersign-test-OrderSaga`,
      `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:countersign-test-ExpenseApproval`,
    ],
    key: `arn:aws:kms:${REGION}:${ACCOUNT}:key/k-1`,
  };
}

/** SST permissions back to the statements they stand for (SST renders them 1:1). */
function asStatements(permissions: Any[]) {
  return permissions.map((p) => ({
    Action: p.actions,
    Resource: p.resources,
    ...(p.conditions
      ? {
          Condition: Object.fromEntries(
            p.conditions.map((c: Any) => [
              c.test,
              { [c.variable]: c.values.length === 1 ? c.values[0] : c.values },
            ]),
          ),
        }
      : {}),
  }));
}

const linkNames = async (links: Any[]) =>
  Promise.all(links.map((l) => resolve<string>(l.name ?? $output(l._name))));

describe("the deployed functions", () => {
  it("are exactly the topology's functions, each with its handler, memory and timeout", () => {
    const names = [
      ...standIns.filter((s) => s.kind === "Function").map((s) => s.name),
      ...SCHEDULES.map((s) => s.function),
    ];
    expect(names.sort()).toEqual([...FUNCTION_NAMES].sort());
    for (const name of FUNCTION_NAMES) {
      const args = deployed(name);
      expect(args.handler).toBe(FUNCTIONS[name].handler.replace(/\.ts$/, ".handler"));
      expect(args.memory).toBe(`${FUNCTIONS[name].memoryMB} MB`);
      expect(args.timeout).toBe(`${FUNCTIONS[name].timeoutSeconds} seconds`);
      expect(args.environment).toEqual(FUNCTIONS[name].environment);
      expect(args.runtime).toBe("nodejs22.x");
      expect(args.nodejs.esbuild.external).toEqual(["@aws-sdk/*"]);
    }
  });

  it("are linked to exactly their links, the same the local runtime gives them", async () => {
    const arns = localArns({ table: "t", sender: "s@example.com" });
    const everything = { Table: 1, Email: 1, SigningKey: 1, Api: 1, OrderSaga: 1, Settings: 1 };
    for (const name of FUNCTION_NAMES) {
      const links = await linkNames(deployed(name).link);
      expect(links, name).toEqual([...FUNCTIONS[name].links]);
      const local = Object.keys(functionScope(name, { links: everything, arns }).resources);
      expect(local.filter((l) => l !== "App").sort(), name).toEqual([...links].sort());
    }
  });

  it("carry exactly their topology policy, the JSON the local runtime enforces", async () => {
    const arns = await deployedArns();
    for (const name of FUNCTION_NAMES) {
      const permissions = await resolve<Any[]>(deployed(name).permissions);
      const expected = functionPolicy(FUNCTIONS[name], arns).Statement.map(
        ({ Sid: _, Effect: __, ...s }) => s,
      );
      expect(asStatements(permissions), name).toEqual(expected);
    }
  });

  it("keep their logs a month, encrypted with the key", async () => {
    for (const name of FUNCTION_NAMES) {
      const args = deployed(name);
      expect(args.logging).toEqual({ retention: "1 month" });
      const logGroup: Record<string, Any> = {};
      args.transform.logGroup(logGroup);
      expect(await resolve(logGroup.kmsKeyId)).toBe((await deployedArns()).key);
    }
  });
});

describe("links", () => {
  it("grant nothing by themselves (policies come from the topology)", async () => {
    for (const name of FUNCTION_NAMES) {
      const links = deployed(name).link as Any[];
      expect(links.length, name).toBeGreaterThan(0);
      for (const link of links) {
        const sst = link.getSSTLink?.() ?? { include: [] };
        expect(sst.include ?? [], `${name}: ${link._name ?? "secret"}`).toEqual([]);
      }
    }
  });

  it("carry the deploy's settings to the functions that read them", async () => {
    for (const name of FUNCTION_NAMES.filter((n) =>
      FUNCTIONS[n].links.includes("Settings" as never),
    )) {
      const link = (deployed(name).link as Any[]).find((l) => l._name === "Settings");
      expect(await resolve(link.getSSTLink().properties), name).toEqual({
        approvalThreshold: 750,
        approvalTimeoutSeconds: 86_400,
        approvers: ["boss@example.com"],
        operators: ["ops@example.com"],
      });
    }
  });
});

describe("the state machines", () => {
  it("are the topology's ASL files with their tasks' deployed ARNs, the text the local runtime fills", async () => {
    expect(of("aws:sfn/stateMachine:StateMachine")).toHaveLength(TOPOLOGY.stateMachines.length);
    for (const machine of TOPOLOGY.stateMachines) {
      const { inputs } = one("aws:sfn/stateMachine:StateMachine", `${machine.name}StateMachine`);
      const expected = renderDefinition(definitionSource(machine), machine, (t) => fnArn(t));
      expect(inputs.definition).toBe(expected);
      expect(inputs.definition).not.toContain("${");
      expect(inputs.type).toBe("STANDARD");
      expect(inputs.name).toBe(`countersign-test-${machine.name}`);
    }
  });

  it("logs every event without execution data, encrypts with the key, and traces", async () => {
    const { inputs } = one("aws:sfn/stateMachine:StateMachine", "OrderSagaStateMachine");
    const logGroup = one("aws:cloudwatch/logGroup:LogGroup", "OrderSagaLogs");
    expect(inputs.loggingConfiguration).toEqual({
      logDestination: `${mockArn(logGroup.type, logGroup.name, logGroup.inputs)}:*`,
      level: "ALL",
      includeExecutionData: false,
    });
    expect(inputs.encryptionConfiguration).toEqual({
      type: "CUSTOMER_MANAGED_KMS_KEY",
      kmsKeyId: (await deployedArns()).key,
      kmsDataKeyReusePeriodSeconds: 300,
    });
    expect(inputs.tracingConfiguration).toEqual({ enabled: true });
    expect(logGroup.inputs).toMatchObject({
      retentionInDays: 30,
      kmsKeyId: (await deployedArns()).key,
    });
  });

  it("each run as a role that invokes exactly its task functions", () => {
    for (const machine of TOPOLOGY.stateMachines) {
      const role = one("aws:iam/rolePolicy:RolePolicy", `${machine.name}RolePolicy`);
      const policy = JSON.parse(role.inputs.policy);
      const invoke = policy.Statement.find((s: Any) => s.Sid === "InvokeSagaTasks");
      expect([...invoke.Resource].sort()).toEqual(
        machine.tasks.flatMap((t) => [fnArn(t), `${fnArn(t)}:*`]).sort(),
      );
      expect(policy.Statement.map((s: Any) => s.Sid)).toContain("UseSagaKey");
    }
  });
});

describe("the approvals component (stacks/approvals.ts)", () => {
  it("builds the approvals' functions, answering the tasks of both workflows, and no others", async () => {
    const component = registered.filter((r) => r.type === "countersign:aws:Approvals");
    expect(component.map((c) => c.name)).toEqual(["Approvals"]);
    const api = standIns.find((s) => s.kind === "Function" && s.name === "Api")!;
    expect(api.args.url).toBe(true);
    const answer = (await resolve<Any[]>(deployed("SendReminders").permissions)).find((p) =>
      p.actions.includes("states:SendTaskSuccess"),
    );
    expect(answer.resources).toEqual((await deployedArns()).approvalCallers);
    const request = await resolve<Any[]>(deployed("RequestApproval").permissions);
    expect(request.filter((p) => p.actions.some((a: string) => a.startsWith("states:")))).toEqual([
      { actions: ["states:SendTaskFailure"], resources: (await deployedArns()).approvalCallers },
    ]);
  });

  it("is the task both workflows ask through, and outputs its ARN", () => {
    for (const name of ["OrderSagaStateMachine", "ExpenseApprovalStateMachine"]) {
      const { inputs } = one("aws:sfn/stateMachine:StateMachine", name);
      expect(inputs.definition, name).toContain(`"FunctionName": "${fnArn("RequestApproval")}"`);
    }
    expect(outputs.requestApprovalArn).toBe(fnArn("RequestApproval"));
  });
});

describe("the table and the key", () => {
  it("encrypts the table with the key", () => {
    expect(one("aws:dynamodb/table:Table").inputs.serverSideEncryption).toEqual({
      enabled: true,
      kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/k-1`,
    });
  });

  it("creates one rotating key with the key policy for this stage", () => {
    const key = one("aws:kms/key:Key");
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(JSON.parse(key.inputs.policy)).toEqual(
      keyPolicy({
        partition: "aws",
        region: REGION,
        accountId: ACCOUNT,
        prefix: "countersign-test",
      }),
    );
  });
});

describe("routes, schedule, alarms and outputs", () => {
  it("routes the topology's prefixes to the API's function URL", async () => {
    const router = standIns.find((s) => s.kind === "Router")!;
    expect(router.routes.map(([p]) => p)).toEqual([...TOPOLOGY.routes.prefixes]);
    for (const [, target] of router.routes)
      expect(await resolve(target)).toBe("https://api.example.test");
  });

  it("runs the reminder sweep on its schedule with retries and a dead-letter queue", async () => {
    const cron = standIns.find((s) => s.kind === "Cron")!;
    expect(cron.args.schedule).toBe(SCHEDULES[0]!.expression);
    const target: Record<string, Any> = {};
    cron.args.transform.target(target);
    expect(target.retryPolicy).toEqual({ maximumRetryAttempts: 3, maximumEventAgeInSeconds: 60 });
    expect(await resolve(target.deadLetterConfig.arn)).toBe(
      mockArn("aws:sqs/queue:Queue", "SendRemindersDeadLetters", {}),
    );
    const policy = JSON.parse(one("aws:sqs/queuePolicy:QueuePolicy").inputs.policy);
    expect(policy.Statement[0].Condition).toEqual({
      ArnEquals: { "aws:SourceArn": `arn:aws:events:${REGION}:${ACCOUNT}:rule/SendReminders` },
    });
  });

  it("alarms on failed, timed-out and aborted executions, parked compensations and the sweep, to the topic mailed to ops", () => {
    const topic = mockArn("aws:sns/topic:Topic", "Alarms", {});
    const alarms = of("aws:cloudwatch/metricAlarm:MetricAlarm");
    const saga = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:countersign-test-OrderSaga`;
    for (const metric of ["ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"]) {
      const alarm = alarms.find((a) => a.inputs.metricName === metric);
      expect(alarm?.inputs, metric).toMatchObject({
        namespace: "AWS/States",
        dimensions: { StateMachineArn: saga },
        threshold: 1,
        alarmActions: [topic],
      });
    }
    expect(alarms.map((a) => a.inputs.metricName).sort()).toEqual([
      "ApproximateNumberOfMessagesVisible",
      "CompensationsParked",
      "Errors",
      "ExecutionsAborted",
      "ExecutionsFailed",
      "ExecutionsTimedOut",
    ]);
    // A parked order is still RUNNING: only the metric MarkOrderFailed writes tells of it.
    const parked = alarms.find((a) => a.inputs.metricName === "CompensationsParked");
    expect(parked?.inputs).toMatchObject({
      namespace: "Countersign",
      threshold: 1,
      alarmActions: [topic],
    });
    expect(parked?.inputs.dimensions).toBeUndefined();
    expect(one("aws:sns/topicSubscription:TopicSubscription").inputs).toMatchObject({
      protocol: "email",
      endpoint: "ops@example.com",
      topic,
    });
  });

  it("sends every execution that ends in CompensationFailed to the topic, without its input", () => {
    const rule = one("aws:cloudwatch/eventRule:EventRule", "CompensationFailed");
    expect(JSON.parse(rule.inputs.eventPattern).detail).toEqual({
      stateMachineArn: [
        `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:countersign-test-OrderSaga`,
      ],
      status: ["FAILED"],
      error: ["CompensationFailed"],
    });
    const target = one("aws:cloudwatch/eventTarget:EventTarget", "CompensationFailedToAlarms");
    expect(target.inputs.arn).toBe(mockArn("aws:sns/topic:Topic", "Alarms", {}));
    expect(Object.values(target.inputs.inputTransformer.inputPaths)).not.toContain(
      "$.detail.input",
    );
    const policy = JSON.parse(one("aws:sns/topicPolicy:TopicPolicy").inputs.policy);
    expect(policy.Statement.map((s: Any) => s.Principal.Service).sort()).toEqual([
      "cloudwatch.amazonaws.com",
      "events.amazonaws.com",
    ]);
  });

  it("outputs the stage, the URLs, the state machine, the table and the sender (what the CLI reads)", () => {
    expect(outputs).toEqual({
      stage: "test",
      api: "https://web.example.test",
      apiFunctionUrl: "https://api.example.test",
      dashboard: "https://web.example.test",
      stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:countersign-test-OrderSaga`,
      expenseStateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:countersign-test-ExpenseApproval`,
      requestApprovalArn: fnArn("RequestApproval"),
      table: one("aws:dynamodb/table:Table").inputs.name,
      sender: "orders@example.com",
    });
  });
});
