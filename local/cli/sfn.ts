/**
 * `countersign sfn serve`: a drop-in local Step Functions for any project — the durable runtime
 * and its wire API on 127.0.0.1, with Lambda handlers loaded from a module, and a local S3 (objects
 * in the data directory's `s3/`) for Distributed Map's ItemReader/ResultWriter and `aws-sdk:s3`
 * tasks, unless `AWS_ENDPOINT_URL_S3` already names one or `--no-s3` is given.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
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
  s3: boolean;
  s3Port: number;
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
    .option("--s3-port <port>", "the local S3's port (0 picks a free one)", port, 0)
    .option("--no-s3", "start no local S3 (AWS_ENDPOINT_URL_S3 names one already, or none is used)")
    .option(
      "--mock-config <file>",
      "Step Functions Local's MockConfigFile.json; start `<stateMachineArn>#<testCase>` to use a test case (default: $SFN_MOCK_CONFIG)",
    )
    .option("--json", 'print the URLs as JSON ({"url": …, "s3": …}) once the API listens')
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
      let s3: { endpoint: string; stop(): Promise<void> } | undefined;
      if (opts.s3 && !process.env.AWS_ENDPOINT_URL_S3) {
        const { startS3Local } = await import("../emulators/s3-local.ts");
        s3 = await startS3Local({ port: opts.s3Port, directory: join(dataDir, "s3") });
        process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
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
      const s3Url = process.env.AWS_ENDPOINT_URL_S3;
      if (opts.json)
        console.log(JSON.stringify({ url: server.url, ...(s3Url ? { s3: s3Url } : {}) }));
      else {
        if (mockFile) console.log(`Mock config: ${mockFile}`);
        console.log(`Step Functions API: ${server.url}`);
        if (s3Url) console.log(`S3:                 ${s3Url}${s3 ? "" : " (AWS_ENDPOINT_URL_S3)"}`);
      }
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await server.close();
        await runtime.close();
        await s3?.stop();
        process.exit(0);
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
  return sfn;
}
