/**
 * `countersign start`: the whole platform on 127.0.0.1 — AWS's DynamoDB Local, the SES-compatible
 * outbox, the Countersign engine behind the Step Functions API, the approval API and the dashboard —
 * composed from the same parts that run on AWS, configured only through the environment.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type SesLocal, startSesLocal } from "../emulators/ses-local.ts";
import type { SfnRuntime } from "../sfn/index.ts";
import { type BoundHttp, bindHttp } from "./bind-first.ts";
import { lockDataDir, type PlatformUrls, prepareDataDir } from "./data-dir.ts";
import { writeHealth } from "./health.ts";
import { type SupervisedDynamoDb, superviseDynamoDbLocal } from "./supervisor.ts";
import { ensureWebBuild } from "./web-assets.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface PlatformOptions {
  dataDir: string;
  /** API + dashboard port; 0 picks a free one. */
  port: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /**
   * What the person running it should see even when progress is not shown: DynamoDB Local on
   * every interface, or its JVM exiting and coming back (default: log).
   */
  warn?: (line: string) => void;
  /** Run the approvals sweep timer: expiry and reminders at their time (default true). */
  sweepTimer?: boolean;
  /**
   * Import the demo catalogue (default). Without it the table starts as empty as a freshly
   * deployed stage's, and products come from `countersign catalogue import`.
   */
  demo?: boolean;
  /**
   * Recover a Step Functions store that fails its checks before starting: "repair" keeps what is
   * consistent, "backup" restores the newest automatic backup (local/sfn/README.md, "Damaged
   * files"). What was found, kept and lost is reported through `warn`.
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
  const lock = await lockDataDir(dataDir);
  // Bound now and held: the port the start block prints is the one this process serves on, and
  // a busy --port fails before DynamoDB Local's JVM is started for nothing (bind-first.ts).
  let api: BoundHttp;
  try {
    api = await bindHttp(options.port);
  } catch (error) {
    lock.release();
    throw error;
  }
  if (options.recover) {
    try {
      const { describeRepair, repairStore } = await import("../sfn/index.ts");
      const result = repairStore(dataDir, { fromBackup: options.recover === "backup" });
      (options.warn ?? log)(describeRepair(result).join("\n"));
    } catch (error) {
      await api.close();
      lock.release();
      throw error;
    }
  }
  const stops: Array<() => Promise<void>> = [async () => lock.release(), () => api.close()];
  const stop = async () => {
    lock.stopping(); // a start on this directory meanwhile waits for us instead of failing
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };

  try {
    log("Starting DynamoDB Local and the SES outbox…");
    // The JVM boots in its own process. Meanwhile this one builds the dashboard if the install
    // did not (a child process too) and loads the rest of the platform's code, which alone is
    // seconds: one after the other, they made the first start twice as long.
    const emulators = Promise.all([
      // Supervised: a JVM that dies is started again on the same port and data (supervisor.ts).
      superviseDynamoDbLocal({
        dbPath: join(dataDir, "dynamodb"),
        log: options.warn ?? log,
        onWarning: options.warn ?? log,
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
    const built = ensureWebBuild(REPO_ROOT, log);
    built.catch(() => undefined); // awaited below, after the code has loaded
    const { composePlatform } = await import("./compose.ts");
    const [[dynamodb, ses], web] = await Promise.all([emulators, built]);

    const { urls, runtime } = await composePlatform({
      dataDir,
      root: REPO_ROOT,
      api,
      dynamodb,
      ses,
      web,
      demo: options.demo ?? true,
      stops,
      ...(options.sweepTimer !== undefined ? { sweepTimer: options.sweepTimer } : {}),
    });
    return { urls, runtime, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
