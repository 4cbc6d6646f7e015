/**
 * A crash in the middle of telling a customer loses no email and sends none twice. A dedicated
 * platform (the real `countersign start`) runs orders that succeed and orders that are declined;
 * the test freezes the platform (SIGSTOP) again and again until it catches a moment when some
 * NotifyCustomer — for a shipped order, and for a failed one — has claimed its idempotency record
 * (INPROGRESS) but not yet sent its mail, and none has sent its mail without recording it; then
 * SIGKILLs the whole platform there. After a restart on the same data, every customer has exactly
 * one email per outcome.
 *
 * Why the last condition: between SES accepting a mail and the record being completed, a crash
 * does repeat the mail — email is at-least-once (README.md) — and no design can close that window
 * with SES. The bug this test guards is the other one: a record left INPROGRESS by the crash used
 * to outlast the step's retries, and the email was lost.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import type { OrderDeps } from "../../functions/orders/deps.ts";
import { type PlatformUrls, readUrls } from "../../local/platform/data-dir.ts";
import { type Started, startPlatform, stop, tempDataDir } from "../platform/harness.ts";
import { mailsByOrder, type NotifyKind, notifyState } from "./notify-state.ts";
import { orderFor, type PaymentKind, seedStock } from "./support.ts";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const running: Started[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await stop(p.child, "SIGKILL");
});

function clients(urls: PlatformUrls) {
  const sfn = new SFNClient({ endpoint: urls.stepFunctions, region: "us-east-1", credentials });
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: urls.dynamodb, region: "us-east-1", credentials }),
  );
  return { sfn, db };
}

async function start(dataDir: string): Promise<Started> {
  const p = await startPlatform(["--data-dir", dataDir, "--port", "0", "--no-demo"]);
  running.push(p);
  return p;
}

/**
 * Places `count` orders one after another (alternately shipped and declined), adding each one's
 * email to `planned` as it is placed, so the watcher sees it while its saga runs.
 */
async function trickle(
  urls: PlatformUrls,
  skus: string[],
  count: number,
  planned: string[],
): Promise<void> {
  const { sfn } = clients(urls);
  for (let i = 0; i < count; i++) {
    const payment: PaymentKind = i % 2 ? "declined" : "succeeds";
    const input = orderFor(skus, payment, { approvalThreshold: 1_000_000 });
    planned.push(`${input.orderId}#${payment === "succeeds" ? "completed" : "failed"}`);
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: urls.stateMachineArn,
        name: input.orderId,
        input: JSON.stringify(input),
      }),
    );
    await sleep(150);
  }
}

/**
 * Freezes the platform until some email of a kind in `wanted` is in flight and unsent while none
 * is sent-but-unrecorded, and SIGKILLs it there; returns the emails caught in flight, or
 * `undefined` when the orders placed so far all finished without such a moment (a loaded machine
 * can run a whole notify between two looks): the caller places more.
 */
async function killDuringNotify(
  p: Started,
  dataDir: string,
  planned: string[],
  placing: { done: boolean },
  wanted: Set<NotifyKind>,
): Promise<string[] | undefined> {
  const urls = readUrls(dataDir);
  const { db } = clients(urls);
  const pid = p.child.pid as number;
  for (let looksAfterPlacing = 0; looksAfterPlacing < 300; ) {
    const finished = placing.done; // read before looking: an order placed after it is still seen
    process.kill(pid, "SIGSTOP");
    const state = await notifyState(db, "countersign", dataDir, planned);
    const caught = state.unsent.filter((k) => wanted.has(k.split("#")[1] as NotifyKind));
    if (caught.length > 0 && state.sentUnrecorded.length === 0) {
      process.kill(-pid, "SIGKILL");
      await new Promise((resolve) => p.child.once("exit", resolve));
      running.splice(running.indexOf(p), 1);
      return state.unsent;
    }
    process.kill(pid, "SIGCONT");
    // Once every order is placed, more looks while the last sagas finish, then give up.
    if (finished) looksAfterPlacing++;
    await sleep(5 + Math.random() * 20);
  }
  return undefined;
}

describe("SIGKILL during NotifyCustomer and NotifyFailure", { timeout: 900_000 }, () => {
  it("after a restart every customer has exactly one email per outcome", async () => {
    const dataDir = tempDataDir();
    let p = await start(dataDir);
    const { db } = clients(readUrls(dataDir));
    const skus = await seedStock(
      { db, table: "countersign", now: () => new Date() } as OrderDeps,
      3,
      1_000,
    );
    const planned: string[] = [];
    const caught: string[] = [];
    const wanted = new Set<NotifyKind>(["completed", "failed"]);
    for (let round = 0; wanted.size > 0; round++) {
      if (round === 8) throw new Error(`no crash caught a ${[...wanted].join("/")} email`);
      const placing = { done: false };
      const placed = trickle(readUrls(dataDir), skus, 40, planned)
        .catch(() => undefined) // the platform died under it: the rest is not placed
        .finally(() => {
          placing.done = true;
        });
      const inFlight = await killDuringNotify(p, dataDir, planned, placing, wanted);
      await placed;
      if (!inFlight) continue; // nothing caught: the platform still runs, place more orders
      caught.push(...inFlight);
      for (const key of inFlight) wanted.delete(key.split("#")[1] as NotifyKind);
      p = await start(dataDir);
    }

    // Every saga the platform accepted ends; then count what each customer received.
    const urls = readUrls(dataDir);
    const { sfn } = clients(urls);
    let names = new Set<string>();
    for (let waited = 0; ; waited += 1000) {
      const list = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: urls.stateMachineArn, maxResults: 1000 }),
      );
      names = new Set((list.executions ?? []).map((e) => e.name as string));
      if ((list.executions ?? []).every((e) => e.status !== "RUNNING")) break;
      if (waited > 300_000) throw new Error("sagas still running 5 minutes after the restart");
      await sleep(1000);
    }
    const mails = mailsByOrder(dataDir);
    const accepted = planned.filter((key) => names.has(key.split("#")[0] as string));
    const wrong = accepted
      .map((key) => {
        const [orderId, kind] = key.split("#") as [string, NotifyKind];
        const other = kind === "completed" ? "failed" : "completed";
        return { key, mine: mails.get(key) ?? 0, other: mails.get(`${orderId}#${other}`) ?? 0 };
      })
      .filter((m) => m.mine !== 1 || m.other !== 0);
    console.log(
      `SIGKILL during notify: ${accepted.length} orders, caught in flight ${caught.join(", ")}; ${wrong.length} customers without exactly one email`,
    );

    expect(caught.some((k) => k.endsWith("#completed"))).toBe(true);
    expect(caught.some((k) => k.endsWith("#failed"))).toBe(true);
    expect(wrong).toEqual([]);
  });
});
