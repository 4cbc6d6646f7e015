/**
 * A DynamoDB outage in the middle of 100 sagas loses none of them. A dedicated platform (the real
 * `countersign start`, its own DynamoDB Local on its own data directory, so the run's shared JVM
 * is untouched) runs 100 orders of mixed payments; once some have ended, the test SIGKILLs the
 * JVM alone. The platform's supervisor restarts it within seconds, so to make the outage last
 * the 20 s the scenario asks for, the test holds DynamoDB Local's port meanwhile (the
 * supervisor's restarts fail and are tried again, as when another process took the port). Then
 * every order must end as its payment and destination say, with the saga's invariants intact.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import type { OrderDeps } from "../../functions/orders/deps.ts";
import { readUrls } from "../../local/platform/data-dir.ts";
import {
  cliAsync,
  eventually,
  type Started,
  startPlatform,
  stop,
  tempDataDir,
} from "../platform/harness.ts";
import { batchViolations, type Ended, plannedBatch } from "./outcomes.ts";
import { jvmBelow } from "./processes.ts";
import { seedStock } from "./support.ts";

const ORDERS = 100;
const OUTAGE_MS = 20_000;
const UNITS = 1_000;
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

let platform: Started | undefined;
afterAll(async () => {
  if (platform) await stop(platform.child, "SIGKILL");
});

/**
 * Binds 127.0.0.1:`port` as soon as the killed JVM has let go of it, and resets every connection
 * made to it, so a caller sees what a dead port gives (a failed connection), not a server that
 * accepts and never answers.
 */
async function holdPort(port: number): Promise<Server> {
  for (let attempt = 0; ; attempt++) {
    const server = createServer((socket) => socket.resetAndDestroy());
    const bound = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (bound) return server;
    if (attempt > 500) throw new Error(`port ${port} stayed busy after the JVM was killed`);
    await sleep(5);
  }
}

async function executions(sfn: SFNClient, stateMachineArn: string): Promise<ExecutionListItem[]> {
  const all: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, maxResults: 1000, nextToken }),
    );
    all.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

describe("a DynamoDB outage of 20 s while 100 sagas run", { timeout: 900_000 }, () => {
  it("delays the sagas and loses none: every order ends as its payment and stock say, 0 violations", async () => {
    const dataDir = tempDataDir();
    platform = await startPlatform(["--data-dir", dataDir, "--port", "0", "--no-demo"]);
    const urls = readUrls(dataDir);
    const sfn = new SFNClient({ endpoint: urls.stepFunctions, region: "us-east-1", credentials });
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: urls.dynamodb, region: "us-east-1", credentials }),
    );
    const deps = { db, table: "countersign", now: () => new Date() } as OrderDeps;
    const skus = await seedStock(deps, 5, UNITS);
    const orders = plannedBatch(ORDERS, skus);
    const started = Date.now();
    await Promise.all(
      orders.map(({ input }) =>
        sfn.send(
          new StartExecutionCommand({
            stateMachineArn: urls.stateMachineArn,
            name: input.orderId,
            input: JSON.stringify(input),
          }),
        ),
      ),
    );

    // Kill once a few sagas have ended, so the outage falls in the middle of the others.
    let running = ORDERS;
    while (running > ORDERS - 10) {
      await sleep(100);
      running = (await executions(sfn, urls.stateMachineArn)).filter(
        (e) => e.status === "RUNNING",
      ).length;
    }
    const port = Number(new URL(urls.dynamodb).port);
    process.kill(jvmBelow(platform.child.pid as number), "SIGKILL");
    const held = await holdPort(port);
    const outageStarted = Date.now();
    await sleep(OUTAGE_MS / 2);
    const during = await cliAsync(["status", "--data-dir", dataDir, "--json"]);
    const listing = await cliAsync(["orders", "list", "--data-dir", dataDir]);
    await sleep(OUTAGE_MS - (Date.now() - outageStarted));
    await new Promise<void>((resolve) => held.close(() => resolve()));
    // The supervisor's next attempt finds the port free: wait until DynamoDB answers again.
    await eventually(async () => {
      const health = JSON.parse(readFileSync(join(dataDir, "health.json"), "utf8"));
      return health.dynamodb.status === "up";
    }, 120_000);
    const outageMs = Date.now() - outageStarted;

    let ended: ExecutionListItem[] = [];
    for (let waited = 0; ; waited += 1000) {
      ended = await executions(sfn, urls.stateMachineArn).catch(() => []);
      if (ended.length === ORDERS && ended.every((e) => e.status !== "RUNNING")) break;
      if (waited > 600_000) throw new Error("sagas still running 10 minutes after the outage");
      await sleep(1000);
    }
    const wallMs = Date.now() - started;
    const outcomes = new Map<string, Ended>();
    let transientRetries = 0;
    for (const e of ended) {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
      outcomes.set(e.name as string, {
        status: d.status as string,
        ...(d.error ? { error: d.error } : {}),
      });
      const history = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: e.executionArn, maxResults: 1000 }),
      );
      transientRetries += (history.events ?? []).filter(
        (ev) => ev.taskFailedEventDetails?.error === "TransientInfrastructureError",
      ).length;
    }
    const violations = await batchViolations(deps, orders, outcomes, skus, UNITS);
    const after = await cliAsync(["status", "--data-dir", dataDir, "--json"]);
    console.log(
      `DynamoDB outage: ${ORDERS} sagas, ${running} running at the kill, DynamoDB unreachable ${(outageMs / 1000).toFixed(1)} s, ` +
        `${transientRetries} task attempts failed transiently and were retried, all ended after ${(wallMs / 1000).toFixed(1)} s, ` +
        `${violations.length} violations`,
    );

    expect(running).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    expect(transientRetries).toBeGreaterThan(0);
    expect(during.code).toBe(1);
    const dynamo = (
      JSON.parse(during.stdout) as { parts: { part: string; up: boolean; detail: string }[] }
    ).parts.find((p) => p.part === "dynamodb");
    expect(dynamo).toMatchObject({ up: false });
    expect(dynamo?.detail).toMatch(/restarting it/);
    expect(listing.stderr).toMatch(
      /DynamoDB Local \(http:\/\/127\.0\.0\.1:\d+\) is not answering although the platform \(pid \d+\) runs/,
    );
    expect(after.code).toBe(0);
    expect(platform.output()).toMatch(/DynamoDB Local is back on/);
  });
});
