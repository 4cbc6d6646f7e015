/**
 * The stacks' non-function resources built for real — SST's own Dynamo, Email and Linkable
 * components and the raw Pulumi resources of the saga — against Pulumi's runtime mocks, using
 * the platform `sst install` put in `.sst/platform` (scripts/sst-offline.sh). Functions, the cron,
 * the router and the static site are not built here: `sst.aws.Function` bundles handlers through
 * the SST CLI's RPC server and StaticSite runs a build and uploads files, neither of which exists
 * under mocks; their inputs are tested in lib/ instead (links, IAM statements, naming).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { needlessWildcards, type PolicyDocument, TABLE_ACTIONS } from "./lib/iam.ts";
import { TASK_FUNCTION_NAMES, type TaskFunctionName } from "./lib/naming.ts";

const root = path.resolve(import.meta.dirname, "..");
const platform = path.join(root, ".sst/platform");
const ACCOUNT = "123456789012";
const REGION = "us-east-1";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** An ARN shaped like AWS's for the resource types the stacks create. */
function mockArn(type: string, name: string, inputs: Record<string, unknown>): string {
  const base = `arn:aws:%s:${REGION}:${ACCOUNT}:`;
  switch (type) {
    case "aws:dynamodb/table:Table":
      return `${base.replace("%s", "dynamodb")}table/${inputs.name}`;
    case "aws:sesv2/emailIdentity:EmailIdentity":
      return `${base.replace("%s", "ses")}identity/${inputs.emailIdentity}`;
    case "aws:sesv2/configurationSet:ConfigurationSet":
      return `${base.replace("%s", "ses")}configuration-set/${inputs.configurationSetName}`;
    case "aws:iam/role:Role":
      return `arn:aws:iam::${ACCOUNT}:role/${name}`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return `${base.replace("%s", "logs")}log-group:${inputs.name}`;
    case "aws:sfn/stateMachine:StateMachine":
      return `${base.replace("%s", "states")}stateMachine:${inputs.name}`;
    default:
      return `${base.replace("%s", "mock")}${name}`;
  }
}

const fnArn = (name: string) =>
  `arn:aws:lambda:${REGION}:${ACCOUNT}:function:countersign-test-${name}`;
const promiseOf = <T>(output: { apply: (f: (v: T) => void) => unknown }) =>
  new Promise<T>((resolve) => output.apply(resolve));

const registered: Registered[] = [];
const one = (type: string) => {
  const found = registered.filter((r) => r.type === type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};

// biome-ignore lint/suspicious/noExplicitAny: SST's platform modules are loaded by path, untyped here.
type Any = any;
let built: {
  table: Any;
  tableLink: Any;
  emailLink: Any;
  saga: Any;
  aslFile: string;
};

beforeAll(async () => {
  if (!existsSync(path.join(platform, "src/components/aws/dynamo.ts"))) {
    throw new Error(
      "No SST platform in .sst/platform: run scripts/sst-offline.sh (npm run typecheck does)",
    );
  }
  const pulumi = await import(path.join(platform, "node_modules/@pulumi/pulumi/index.js"));
  pulumi.runtime.setMocks(
    {
      newResource(args: Registered & { inputs: Record<string, unknown> }) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        const arn = mockArn(args.type, args.name, args.inputs);
        return { id: `${args.name}-id`, state: { ...args.inputs, arn } };
      },
      // The data sources the saga reads to predict its own ARN.
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
  // What SST's runner provides to sst.config.ts (.sst/platform/src/shim/run.js and global.d.ts).
  Object.assign(globalThis, {
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
      },
      Linkable: (await import(path.join(platform, "src/components/linkable.ts"))).Linkable,
    },
  });

  const { storage } = await import("./storage.ts");
  const { email } = await import("./email.ts");
  const { orderSaga } = await import("./saga.ts");
  const aslDir = existsSync(path.join(root, "stacks/order-saga.asl.json"))
    ? path.join(root, "stacks")
    : path.join(root, "stacks/__fixtures__");
  const functionArns = Object.fromEntries(TASK_FUNCTION_NAMES.map((n) => [n, fnArn(n)])) as Record<
    TaskFunctionName,
    string
  >;
  const { table, link: tableLink } = storage();
  const { mailer, link: emailLink } = email("orders@example.com");
  const saga = orderSaga({ functionArns, aslDir });
  await Promise.all([
    promiseOf(table.arn),
    promiseOf(mailer.nodes.identity.arn),
    promiseOf(saga.machine.arn),
    promiseOf(saga.policy.policy),
  ]);
  built = { table, tableLink, emailLink, saga, aslFile: path.join(aslDir, "order-saga.asl.json") };
}, 120_000);

describe("table", () => {
  it("has the contract's keys, gsi1, TTL on ttl, PITR and on-demand billing", () => {
    const { inputs } = one("aws:dynamodb/table:Table");
    expect(inputs).toMatchObject({
      hashKey: "pk",
      rangeKey: "sk",
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecovery: { enabled: true },
      ttl: { attributeName: "ttl", enabled: true },
      globalSecondaryIndexes: [
        { name: "gsi1", hashKey: "gsi1pk", rangeKey: "gsi1sk", projectionType: "ALL" },
      ],
    });
    expect(inputs.attributes).toEqual(
      ["pk", "sk", "gsi1pk", "gsi1sk"].map((name) => ({ name, type: "S" })),
    );
  });

  it("is linked as Table with its name and item actions on it and its indexes only", async () => {
    const name = await promiseOf<string>(built.table.name);
    const arn = await promiseOf<string>(built.table.arn);
    const link = built.tableLink.getSSTLink();
    expect(await promiseOf(built.tableLink.properties.name)).toBe(name);
    expect(link.include).toHaveLength(1);
    expect(link.include[0].actions).toEqual(TABLE_ACTIONS);
    expect(await promiseOf(link.include[0].resources)).toEqual([arn, `${arn}/index/*`]);
  });
});

describe("email", () => {
  it("creates the sender's identity and links Email with send rights on the account's identities", async () => {
    expect(one("aws:sesv2/emailIdentity:EmailIdentity").inputs.emailIdentity).toBe(
      "orders@example.com",
    );
    const link = built.emailLink.getSSTLink();
    expect(await promiseOf(built.emailLink.properties.sender)).toBe("orders@example.com");
    expect(link.include[0].actions).toEqual(["ses:SendEmail", "ses:SendRawEmail"]);
    const configSet = one("aws:sesv2/configurationSet:ConfigurationSet").inputs
      .configurationSetName;
    expect(await promiseOf(link.include[0].resources)).toEqual([
      `arn:aws:ses:${REGION}:${ACCOUNT}:identity/*`,
      `arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/${configSet}`,
    ]);
  });
});

describe("order saga", () => {
  it("is a STANDARD state machine whose definition is the ASL file with the ARNs filled", async () => {
    const { inputs } = one("aws:sfn/stateMachine:StateMachine");
    let expected = readFileSync(built.aslFile, "utf8");
    for (const name of TASK_FUNCTION_NAMES) {
      expected = expected.split(`\${${name}FunctionArn}`).join(fnArn(name));
    }
    expect(inputs.type).toBe("STANDARD");
    expect(inputs.name).toBe("countersign-test-OrderSaga");
    expect(JSON.parse(inputs.definition as string)).toEqual(JSON.parse(expected));
    expect(inputs.definition).not.toContain("${");
  });

  it("runs as its own role, logs every event with data to its log group, and traces", async () => {
    const { inputs } = one("aws:sfn/stateMachine:StateMachine");
    const logGroup = one("aws:cloudwatch/logGroup:LogGroup");
    expect(inputs.roleArn).toBe(await promiseOf(built.saga.role.arn));
    expect(inputs.loggingConfiguration).toEqual({
      logDestination: `${mockArn(logGroup.type, logGroup.name, logGroup.inputs)}:*`,
      level: "ALL",
      includeExecutionData: true,
    });
    expect(inputs.tracingConfiguration).toEqual({ enabled: true });
    expect(logGroup.inputs).toMatchObject({
      name: "/aws/vendedlogs/states/countersign-test-OrderSaga",
      retentionInDays: 30,
    });
  });

  it("has a role only Step Functions may assume for this machine, invoking exactly its functions", async () => {
    const trust = JSON.parse(one("aws:iam/role:Role").inputs.assumeRolePolicy as string);
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "states.amazonaws.com" },
        Action: ["sts:AssumeRole"],
        Condition: {
          ArnLike: {
            "aws:SourceArn": `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:countersign-test-OrderSaga`,
          },
          StringEquals: { "aws:SourceAccount": ACCOUNT },
        },
      },
    ]);
    const policyResource = one("aws:iam/rolePolicy:RolePolicy");
    expect(policyResource.inputs.role).toBe(await promiseOf(built.saga.role.id));
    const policy = JSON.parse(policyResource.inputs.policy as string) as PolicyDocument;
    const invoke = policy.Statement.filter((s) => s.Action.some((a) => a.startsWith("lambda:")));
    expect(invoke).toHaveLength(1);
    expect(invoke[0]!.Action).toEqual(["lambda:InvokeFunction"]);
    expect([...invoke[0]!.Resource].sort()).toEqual(
      TASK_FUNCTION_NAMES.flatMap((n) => [fnArn(n), `${fnArn(n)}:*`]).sort(),
    );
    expect(needlessWildcards(policy)).toEqual([]);
  });

  it("is linked as OrderSaga with its ARN", async () => {
    expect(await promiseOf(built.saga.link.properties.arn)).toBe(
      `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:countersign-test-OrderSaga`,
    );
  });
});
