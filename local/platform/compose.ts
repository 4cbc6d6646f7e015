/**
 * The platform's own parts, put together once DynamoDB Local and the SES outbox answer: the
 * environment and links each function sees, the table and the demo catalogue, the durable
 * runtime behind the Step Functions API, the approval API with the dashboard, and the reminder
 * sweep. Its own module because loading it (the AWS SDKs, the handlers, the API, the IAM policy
 * simulator) is seconds of a start, which start.ts spends while the JVM boots.
 */
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { serve } from "@hono/node-server";
import { createApi } from "../../functions/api/app.ts";
import { depsFromResources } from "../../functions/api/deps.ts";
import {
  CATALOGUE_COLUMNS,
  checkCatalogue,
  importCatalogue,
} from "../../functions/orders/catalogue.ts";
import { parseCatalogue } from "../../functions/orders/catalogue-file.ts";
import { dynamo } from "../../functions/shared/clients.ts";
import { ensureTable } from "../../functions/shared/table-schema.ts";
import { STATE_MACHINES } from "../../stacks/topology.ts";
import { outboxView, type SesLocal } from "../emulators/ses-local.ts";
import { createRuntime, type SfnRuntime, type SfnServer, serveSfnApi } from "../sfn/index.ts";
import { type PlatformUrls, signingKey, writeUrls } from "./data-dir.ts";
import { DEMO_APPROVERS, DEMO_CATALOGUE_FILE, DEMO_OPERATORS, DEMO_REQUESTER } from "./demo.ts";
import { localEnvironment, localLinks } from "./environment.ts";
import { frontHandler } from "./front.ts";
import {
  functionScope,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  type LocalWiring,
  loadFunctions,
  localArns,
  localDefinition,
  localStateMachineArn,
} from "./functions.ts";
import { runAs } from "./scope.ts";
import type { SupervisedDynamoDb } from "./supervisor.ts";

const TABLE = "countersign";
const SENDER = "approvals@countersign.local";

/** What start.ts has ready when it composes the rest. */
export interface ComposeArgs {
  dataDir: string;
  /** The repository root (the ASL files, the handlers). */
  root: string;
  apiPort: number;
  sfnPort: number;
  dynamodb: SupervisedDynamoDb;
  ses: SesLocal;
  /** The dashboard's built files (`web/dist`). */
  web: string;
  demo: boolean;
  reminderIntervalMs?: number;
  /** Where each part started here registers how to stop it (stopped in reverse). */
  stops: Array<() => Promise<void>>;
}

/** Starts the platform's parts over running emulators; resolves once every part answers. */
export async function composePlatform(
  parts: ComposeArgs,
): Promise<{ urls: PlatformUrls; runtime: SfnRuntime }> {
  const { dataDir, apiPort, sfnPort, dynamodb, ses, stops } = parts;
  const api = `http://127.0.0.1:${apiPort}`;
  const stepFunctions = `http://127.0.0.1:${sfnPort}`;
  const stateMachineArn = localStateMachineArn("OrderSaga");
  const endpoints = { dynamodb: dynamodb.endpoint, ses: ses.endpoint, stepFunctions, api };
  Object.assign(process.env, localEnvironment(endpoints));
  // Each function sees only its own links and may make only the calls its policy allows.
  const wiring: LocalWiring = {
    links: localLinks(endpoints, {
      table: TABLE,
      sender: SENDER,
      signingKey: signingKey(dataDir),
      stateMachineArn,
      approvers: DEMO_APPROVERS,
      operators: DEMO_OPERATORS,
      requester: DEMO_REQUESTER,
      approvalThreshold: 1000,
      approvalTimeoutSeconds: 24 * 60 * 60,
    }),
    arns: localArns({ table: TABLE, sender: SENDER }),
    tokenStateMachine: (token) => runtime.taskTokenStateMachine(token),
  };

  await ensureTable(new DynamoDBClient({}), TABLE);
  if (parts.demo) await importDemoCatalogue();

  const runtime: SfnRuntime = createRuntime({
    dataDir,
    // A damaged store's error names this command line, completed with --repair / --restore-backup.
    startCommand: `countersign start --data-dir ${dataDir}`,
    functions: await loadFunctions(wiring),
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT,
  });
  stops.push(() => runtime.close());
  registerStateMachines(runtime, parts.root);
  const sfn: SfnServer = await serveSfnApi(runtime, { port: sfnPort });
  stops.push(() => sfn.close());

  const server = await serveHttp(apiPort, parts.web, ses, wiring);
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  );

  const sweeper = functionScope("SendReminders", wiring);
  const reminders = setInterval(
    () => void runAs(sweeper, sweepReminders),
    parts.reminderIntervalMs ?? 60_000,
  );
  reminders.unref();
  stops.push(async () => clearInterval(reminders));

  const urls: PlatformUrls = {
    api,
    dashboard: `${api}/`,
    stepFunctions,
    dynamodb: dynamodb.endpoint,
    ses: ses.endpoint,
    stateMachineArn,
    pid: process.pid,
  };
  writeUrls(dataDir, urls);
  return { urls, runtime };
}

/**
 * Imports the demo catalogue through the same checks and writes as `catalogue import`, adding
 * only products that do not exist yet: later starts keep whatever stock the orders left.
 */
async function importDemoCatalogue(): Promise<void> {
  const rows = parseCatalogue(readFileSync(DEMO_CATALOGUE_FILE, "utf8"), "csv", CATALOGUE_COLUMNS);
  const { products, issues } = checkCatalogue(rows);
  if (issues.length > 0)
    throw new Error(`${DEMO_CATALOGUE_FILE} is broken: ${JSON.stringify(issues)}`);
  await importCatalogue({ db: dynamo(), table: TABLE }, products, { onlyNew: true });
}

/** Registers every state machine of the topology with local function ARNs (create, or update). */
function registerStateMachines(runtime: SfnRuntime, root: string): void {
  const roleArn = `arn:aws:iam::${LOCAL_ACCOUNT}:role/countersign-local`;
  for (const spec of STATE_MACHINES) {
    const definition = localDefinition(spec, root);
    const arn = localStateMachineArn(spec.name);
    let exists = true;
    try {
      runtime.describeStateMachine({ stateMachineArn: arn });
    } catch {
      exists = false;
    }
    if (exists) runtime.updateStateMachine({ stateMachineArn: arn, definition });
    else runtime.createStateMachine({ name: spec.name, definition, roleArn, type: "STANDARD" });
  }
}

/** The approval API and the dashboard on one port, so links and the app share an origin. */
async function serveHttp(
  port: number,
  web: string,
  ses: SesLocal,
  wiring: LocalWiring,
): Promise<Server> {
  // The API runs as its function: its links, and its policy for every SDK call it makes.
  const scope = functionScope("Api", wiring);
  const { app } = runAs(scope, () =>
    createApi(
      depsFromResources({ local: true, outbox: async () => (await ses.outbox()).map(outboxView) }),
    ),
  );
  const fetch = frontHandler(web, (request) => runAs(scope, () => app.fetch(request)));
  return new Promise((resolve) => {
    const server = serve({ fetch, port, hostname: "127.0.0.1" }, () =>
      resolve(server as unknown as Server),
    ) as unknown as Server;
  });
}

async function sweepReminders(): Promise<void> {
  const mod = (await import("../../functions/send-reminders.ts")) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  await mod
    .handler({}, {})
    .catch((error: unknown) => console.error("reminder sweep failed:", error));
}
