/**
 * `countersign start`: the whole platform on 127.0.0.1, by default with the demo shop. The
 * terminal gets one block (the URLs, the demo order's link); everything the parts log goes to
 * `platform.log` in the data directory (platform-log.ts), and to the terminal with `--verbose`.
 */
import { type Command, Option } from "commander";
import { DEFAULT_DATA_DIR, type PlatformUrls, prepareDataDir } from "../platform/data-dir.ts";
import type { RunningPlatform } from "../platform/start.ts";
import type { DemoRequests } from "./demo-request.ts";
import { routeToLog } from "./platform-log.ts";

export const DEFAULT_PORT = 8787;

interface StartOptions {
  dataDir: string;
  port: number;
  demo: boolean;
  verbose?: boolean;
  json?: boolean;
  repair?: boolean;
  restoreBackup?: boolean;
}

export function registerStartCommand(program: Command): void {
  program
    .command("start")
    .description(
      "run the whole platform on 127.0.0.1, with the demo catalogue and a demo order waiting for approval",
    )
    .addOption(
      new Option("--data-dir <dir>", "data directory of the platform").default(DEFAULT_DATA_DIR),
    )
    .addOption(
      new Option("--port <port>", "port of the API and dashboard (0 = any free port)")
        .default(DEFAULT_PORT)
        .argParser((v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 0 || n > 65535)
            throw new Error(`--port must be a whole number from 0 to 65535, got ${v}`);
          return n;
        }),
    )
    .option(
      "--no-demo",
      "no demo data: an empty catalogue and no demo order, as a freshly deployed stage",
    )
    .option(
      "--verbose",
      "show the platform's log here too (it always goes to platform.log in the data directory)",
    )
    .option("--json", "print the URLs and the demo order as one JSON object once running")
    .option(
      "--repair",
      "if the Step Functions store fails its checks: keep everything consistent, list what was lost, then start",
    )
    .option(
      "--restore-backup",
      "restore the newest automatic backup of the Step Functions store, then start",
    )
    .action(start);
}

async function start(o: StartOptions): Promise<void> {
  const started = performance.now();
  // Before the log is routed: a directory that cannot hold the log is refused on the terminal.
  const dataDir = prepareDataDir(o.dataDir);
  const out = routeToLog(dataDir, { verbose: o.verbose ?? false });
  if (!o.json) out.say("Starting Countersign…");
  // Warnings before the block is printed go into it; later ones (DynamoDB Local's JVM exiting and
  // coming back) are printed as they come, since the terminal is otherwise quiet by then.
  const warnings: string[] = [];
  let blockShown = false;
  let platform: RunningPlatform;
  try {
    // Loaded here, not at the top: every other command starts faster without the whole platform.
    const { startPlatform } = await import("../platform/start.ts");
    platform = await startPlatform({
      dataDir: o.dataDir,
      port: o.port,
      demo: o.demo,
      ...(o.restoreBackup
        ? { recover: "backup" as const }
        : o.repair
          ? { recover: "repair" as const }
          : {}),
      log: out.log,
      warn: (line) => {
        out.log(line);
        if (!blockShown) warnings.push(line);
        else if (!o.verbose && !o.json) out.say(line);
      },
    });
  } catch (error) {
    out.log(`start failed: ${error instanceof Error ? error.message : String(error)}`);
    out.restore();
    throw error;
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    out.say(`\n${signal}: stopping… (state is kept in ${o.dataDir})`);
    await platform.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  const seconds = (performance.now() - started) / 1000;
  const { urls } = platform;
  let demo: DemoRequests | undefined;
  if (o.demo) {
    try {
      demo = await showDemo(urls, o.dataDir);
    } catch (error) {
      // The platform runs without it; say why rather than stop what did start.
      const reason = error instanceof Error ? error.message : String(error);
      out.log(`demo order: ${reason}`);
      warnings.push(`the demo's requests could not be shown: ${reason}`);
    }
  }
  if (o.json) {
    out.say(
      JSON.stringify(
        {
          running: true,
          startSeconds: Number(seconds.toFixed(1)),
          dataDir: o.dataDir,
          log: out.file,
          urls,
          warnings,
          ...(demo ? { demo } : {}),
        },
        null,
        2,
      ),
    );
    blockShown = true;
    return;
  }
  out.say(block(seconds, urls, o.dataDir, out.file, warnings, demo).join("\n"));
  blockShown = true;
}

/** The demo's requests waiting for approval (demo-request.ts). */
async function showDemo(urls: PlatformUrls, dataDir: string): Promise<DemoRequests> {
  const { PlatformClient } = await import("./local-client.ts");
  const { demoRequests } = await import("./demo-request.ts");
  return demoRequests(new PlatformClient(urls, dataDir));
}

function block(
  seconds: number,
  urls: PlatformUrls,
  dataDir: string,
  logFile: string,
  warnings: string[],
  demo: DemoRequests | undefined,
): string[] {
  const lines = [
    "",
    `Countersign is running (${seconds.toFixed(1)} s)`,
    `  Dashboard:       ${urls.dashboard}`,
    `  API:             ${urls.api}`,
    `  Step Functions:  ${urls.stepFunctions}`,
    `  DynamoDB Local:  ${urls.dynamodb}`,
    `  SES outbox:      ${urls.ses}   (npx countersign outbox list)`,
    `  Data:            ${dataDir}   (log: ${logFile}; --verbose shows it here)`,
    ...warnings.map((w) => `\nWarning: ${w}`),
    "",
  ];
  if (!demo)
    lines.push(
      "No demo data: import products with `npx countersign catalogue import <file.csv|json>`.",
    );
  else {
    const { order, expense } = demo;
    const waiting = order.reused
      ? `Demo order ${order.id} is still waiting for approval (no new one was placed).`
      : `Demo order ${order.id} is waiting for approval.`;
    lines.push(
      order.link
        ? `${waiting} Open:\n  ${order.link}`
        : `${waiting} Decide it in the dashboard's inbox or with \`npx countersign approvals list\`.`,
      expense.reused
        ? `Demo expense ${expense.id} is still waiting in the inbox too (no new one was started).`
        : `Demo expense ${expense.id} is waiting in the inbox too.`,
    );
  }
  lines.push("", "Press Ctrl-C to stop.");
  return lines;
}
