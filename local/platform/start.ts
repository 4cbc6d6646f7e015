/**
 * `countersign start`: the whole platform on 127.0.0.1 — AWS's DynamoDB Local, the SES-compatible
 * outbox, the Countersign engine behind the Step Functions API, the approval API and the dashboard —
 * composed from the same parts that run on AWS, configured only through the environment.
 */
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
import { outboxView, type SesLocal, startSesLocal } from "../emulators/ses-local.ts";
import {
  createRuntime,
  describeRepair,
  repairStore,
  type SfnRuntime,
  type SfnServer,
  serveSfnApi,
} from "../sfn/index.ts";
import {
  lockDataDir,
  type PlatformUrls,
  prepareDataDir,
  signingKey,
  writeUrls,
} from "./data-dir.ts";
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
import { writeHealth } from "./health.ts";
import { ensurePortFree, freePort } from "./ports.ts";
import { runAs } from "./scope.ts";
import { type SupervisedDynamoDb, superviseDynamoDbLocal } from "./supervisor.ts";
import { ensureWebBuild } from "./web-assets.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TABLE = "countersign";
const SENDER = "approvals@countersign.local";

export interface PlatformOptions {
  dataDir: string;
  /** API + dashboard port; 0 picks a free one. */
  port: number;
  /** Progress and the URL block. */
  log?: (line: string) => void;
  /** How often the reminder sweep runs (ms). */
  reminderIntervalMs?: number;
  /**
   * Import the demo catalogue (default). Without it the table starts as empty as a freshly
   * deployed stage's, and products come from `countersign catalogue import`.
   */
  demo?: boolean;
  /**
   * Recover a Step Functions store that fails its checks before starting: "repair" keeps what is
   * consistent, "backup" restores the newest automatic backup (`local/sfn`, README "Durability").
   */
  recover?: "repair" | "backup";
}

export interface RunningPlatform {
  urls: PlatformUrls;
  runtime: SfnRuntime;
  stop(): Promise<void>;
}

/** Starts everything; resolves once every part accepts requests. */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = prepareDataDir(options.dataDir);
  const unlock = lockDataDir(dataDir);
  try {
    await ensurePortFree(options.port);
  } catch (error) {
    unlock();
    throw error;
  }
  if (options.recover) {
    try {
      const result = repairStore(dataDir, { fromBackup: options.recover === "backup" });
      for (const line of describeRepair(result)) log(line);
    } catch (error) {
      unlock();
      throw error;
    }
  }
  const apiPort = options.port === 0 ? await freePort() : options.port;
  const sfnPort = await freePort();
  const stops: Array<() => Promise<void>> = [async () => unlock()];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };

  try {
    log("Starting DynamoDB Local and the SES outbox…");
    // The JVM boots in its own process while this one builds the dashboard (first start only).
    const emulators = Promise.all([
      // Supervised: a JVM that dies is started again on the same port and data (supervisor.ts).
      superviseDynamoDbLocal({
        dbPath: join(dataDir, "dynamodb"),
        log,
        onChange: (health) => writeHealth(dataDir, { dynamodb: health }),
      }) as Promise<SupervisedDynamoDb>,
      startSesLocal({
        host: "127.0.0.1",
        outboxFile: join(dataDir, "outbox.jsonl"),
      }) as Promise<SesLocal>,
    ]);
    emulators
      .then(([d, s]) =>
        stops.push(
          () => d.stop(),
          () => s.stop(),
        ),
      )
      .catch(() => undefined);
    const web = ensureWebBuild(REPO_ROOT, log);
    const [dynamodb, ses] = await emulators;

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
    if (options.demo ?? true) await importDemoCatalogue();

    const runtime: SfnRuntime = createRuntime({
      dataDir,
      startCommand: `countersign start --data-dir ${options.dataDir}`,
      functions: await loadFunctions(wiring),
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT,
    });
    stops.push(() => runtime.close());
    registerStateMachines(runtime);
    const sfn: SfnServer = await serveSfnApi(runtime, { port: sfnPort });
    stops.push(() => sfn.close());

    const server = await serveHttp(apiPort, web, ses, wiring);
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
      options.reminderIntervalMs ?? 60_000,
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
    return { urls, runtime, stop };
  } catch (error) {
    await stop();
    throw error;
  }
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
function registerStateMachines(runtime: SfnRuntime): void {
  const roleArn = `arn:aws:iam::${LOCAL_ACCOUNT}:role/countersign-local`;
  for (const spec of STATE_MACHINES) {
    const definition = localDefinition(spec, REPO_ROOT);
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
