/**
 * The platform's own parts, put together once DynamoDB Local and the SES outbox answer: the
 * environment and links each function sees, the table and the demo catalogue, the durable
 * runtime behind the Step Functions API, the approval API with the dashboard, and the reminder
 * sweep. Its own module because loading it (the AWS SDKs, the handlers, the API, the IAM policy
 * simulator) is seconds of a start, which start.ts spends while the JVM boots.
 */
import { readFileSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { getRequestListener } from "@hono/node-server";
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
import {
  createRuntime,
  SfnApiError,
  type SfnRuntime,
  type SfnServer,
  serveSfnApi,
} from "../sfn/index.ts";
import { type BoundHttp, lateBound } from "./bind-first.ts";
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
  /** The API's server, already listening (bind-first.ts); its handler is attached here. */
  api: BoundHttp;
  dynamodb: SupervisedDynamoDb;
  ses: SesLocal;
  /** The dashboard's built files (`web/dist`). */
  web: string;
  demo: boolean;
  /** Run the approvals sweep timer (default); the bench turns it off to measure the saga alone. */
  sweepTimer?: boolean;
  /** Where each part started here registers how to stop it (stopped in reverse). */
  stops: Array<() => Promise<void>>;
}

/** Starts the platform's parts over running emulators; resolves once every part answers. */
export async function composePlatform(
  parts: ComposeArgs,
): Promise<{ urls: PlatformUrls; runtime: SfnRuntime }> {
  const { dataDir, dynamodb, ses, stops } = parts;
  // The Step Functions API binds first (a port the kernel picks, held from now on), so the
  // functions' wiring names a port nobody else can take; the runtime behind it comes next.
  const late = lateBound<SfnRuntime>(
    () => new SfnApiError("ThrottlingException", "The local Step Functions API is starting"),
  );
  const sfn: SfnServer = await serveSfnApi(late.proxy, { port: 0 });
  const api = parts.api.url;
  const stepFunctions = sfn.url;
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
  late.bind(runtime);
  // Stopped in reverse: the API's server first, then the runtime.
  stops.push(
    () => runtime.close(),
    () => sfn.close(),
  );
  registerStateMachines(runtime, parts.root);

  parts.api.attach(getRequestListener(apiHandler(parts.web, ses, wiring)));

  // Expiry and reminders at their time: the SendReminders function's sweep timer, as on AWS.
  if (parts.sweepTimer ?? true) {
    const sweeper = functionScope("SendReminders", wiring);
    const stopped = new AbortController();
    const running = runAs(sweeper, () => sweepAtDueTimes(stopped.signal)).catch((error) =>
      console.error("the reminder sweep stopped:", error),
    );
    stops.push(async () => {
      stopped.abort();
      await running;
    });
  }

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
function apiHandler(web: string, ses: SesLocal, wiring: LocalWiring) {
  // The API runs as its function: its links, and its policy for every SDK call it makes.
  const scope = functionScope("Api", wiring);
  const { app } = runAs(scope, () =>
    createApi(
      depsFromResources({ local: true, outbox: async () => (await ses.outbox()).map(outboxView) }),
    ),
  );
  return frontHandler(web, (request) => runAs(scope, () => app.fetch(request)));
}

async function sweepAtDueTimes(signal: AbortSignal): Promise<void> {
  const mod = await import("../../functions/send-reminders.ts");
  await mod.runUntilStopped(signal);
}
