/**
 * `countersign sfn serve`: a drop-in local Step Functions for any project — the durable runtime
 * and its wire API on 127.0.0.1, with Lambda handlers loaded from a module.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import type { FunctionMap } from "../sfn/index.ts";
import { parseMockConfig } from "../sfn/mock-config/mock-config.ts";

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

/**
 * Reads and checks a Step Functions Local `MockConfigFile.json` (`sfn-local-test-sm-exec.html`):
 * a missing or malformed file stops the server before it listens, naming the file and the field.
 */
function loadMockConfig(file: string) {
  let text: string;
  try {
    text = readFileSync(resolve(file), "utf8");
  } catch (cause) {
    throw new InvalidArgumentError(
      `--mock-config ${file} cannot be read (${(cause as Error).message}): give the path of a MockConfigFile.json`,
    );
  }
  return parseMockConfig(text, file);
}

interface ServeOptions {
  dataDir: string;
  port: number;
  functions?: string;
  mockConfig?: string;
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
    .option(
      "--mock-config <file>",
      "Step Functions Local's MockConfigFile.json; start `<stateMachineArn>#<testCase>` to use a test case (default: $SFN_MOCK_CONFIG)",
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
      // Step Functions Local reads the file named by SFN_MOCK_CONFIG; so do we, unless told.
      // Checked before anything touches the data directory.
      const mockFile = opts.mockConfig ?? process.env.SFN_MOCK_CONFIG;
      const mockConfig = mockFile ? loadMockConfig(mockFile) : undefined;
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
        ...(mockConfig ? { mockConfig } : {}),
      });
      const server = await serveSfnApi(runtime, { port: opts.port, host: "127.0.0.1" });
      // Handlers that call Step Functions themselves (SendTaskSuccess, ...) reach this server.
      process.env.AWS_ENDPOINT_URL_SFN ??= server.url;
      if (opts.json) console.log(JSON.stringify({ url: server.url }));
      else {
        if (mockFile) console.log(`Mock config: ${mockFile}`);
        console.log(`Step Functions API: ${server.url}`);
      }
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
