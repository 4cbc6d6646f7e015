/**
 * `countersign sfn serve`: a drop-in local Step Functions for any project — the durable runtime
 * and its wire API on 127.0.0.1, with Lambda handlers loaded from a module.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import type { FunctionMap } from "../sfn/index.ts";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError("--port takes a number from 0 to 65535 (0 picks a free port)");
  }
  return n;
}

/** Loads `module`'s default export: function names or ARNs mapped to handlers. */
async function loadFunctions(module: string): Promise<FunctionMap> {
  const mod = (await import(pathToFileURL(resolve(module)).href)) as { default?: unknown };
  const map = mod.default;
  if (!map || typeof map !== "object") {
    throw new InvalidArgumentError(
      `--functions ${module} must default-export an object mapping function names or ARNs to handlers`,
    );
  }
  return map as FunctionMap;
}

interface ServeOptions {
  dataDir: string;
  port: number;
  functions?: string;
  json?: boolean;
  repair?: boolean;
  restoreBackup?: boolean;
}

export function sfnCommand(): Command {
  const sfn = new Command("sfn").description("Local AWS Step Functions (durable, wire-compatible)");
  sfn
    .command("serve")
    .description("Serve the Step Functions API on 127.0.0.1")
    .option("--data-dir <dir>", "where executions are kept (SQLite)", ".countersign/sfn")
    .option("--port <port>", "port to listen on (0 picks a free one)", port, 8083)
    .option(
      "--functions <module>",
      "module whose default export maps function names/ARNs to handlers",
    )
    .option("--json", 'print the API\'s URL as JSON ({"url": …}) once it listens')
    .option(
      "--repair",
      "if the store fails its checks: keep everything consistent, list what was lost, then start",
    )
    .option("--restore-backup", "restore the newest automatic backup of the store, then start")
    .action(async (opts: ServeOptions) => {
      const { createRuntime, describeRepair, repairStore, serveSfnApi } = await import(
        "../sfn/index.ts"
      );
      const functions = opts.functions ? await loadFunctions(opts.functions) : {};
      const dataDir = resolve(opts.dataDir);
      if (opts.repair || opts.restoreBackup) {
        const result = repairStore(dataDir, { fromBackup: opts.restoreBackup === true });
        // With --json, stdout carries only the URL object: the report goes to stderr.
        for (const line of describeRepair(result)) (opts.json ? console.error : console.log)(line);
      }
      const runtime = createRuntime({
        dataDir,
        functions,
        startCommand: `countersign sfn serve --data-dir ${dataDir}`,
      });
      const server = await serveSfnApi(runtime, { port: opts.port, host: "127.0.0.1" });
      // Handlers that call Step Functions themselves (SendTaskSuccess, ...) reach this server.
      process.env.AWS_ENDPOINT_URL_SFN ??= server.url;
      if (opts.json) console.log(JSON.stringify({ url: server.url }));
      else console.log(`Step Functions API: ${server.url}`);
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await server.close();
        await runtime.close();
        process.exit(0);
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
  return sfn;
}
