/**
 * Which saga a command works on: the local platform recorded in a data directory (the default),
 * or a deployed stage (`--stage NAME`, from its outputs). Every command that works on both takes
 * the same options, added here.
 */
import { type Command, Option } from "commander";
import { DEFAULT_DATA_DIR } from "../platform/data-dir.ts";
import { CliInputError } from "./errors.ts";
import type { PlatformClient } from "./local-client.ts";
import type { SagaClient } from "./saga-client.ts";
import { SST_OUTPUTS_FILE } from "./sst-outputs-file.ts";

/** The options of a command that targets the local platform or a stage. */
export interface TargetOptions {
  dataDir: string;
  url?: string;
  stage?: string;
  outputs?: string;
  json?: boolean;
}

/** `--data-dir`: where the local platform keeps its state and records its URLs. */
export function dataDirOption(): Option {
  return new Option("--data-dir <dir>", "data directory of the local platform").default(
    DEFAULT_DATA_DIR,
  );
}

/** `--json`, which every command takes. */
export function jsonOption(): Option {
  return new Option("--json", "print JSON for scripts");
}

/** Adds the local platform's options (`--data-dir`, `--url`) and `--json`. */
export function localOptions(command: Command): Command {
  return command
    .addOption(dataDirOption())
    .addOption(
      new Option(
        "--url <url>",
        "API URL of the local platform (default: the one recorded in --data-dir, which it must match)",
      ),
    )
    .addOption(jsonOption());
}

/** Adds the local options and `--stage`, `--outputs` (a deployed stage). */
export function targetOptions(command: Command): Command {
  return localOptions(command)
    .addOption(
      new Option(
        "--stage <name>",
        "work on this deployed stage with your AWS credentials instead of the local platform",
      ),
    )
    .addOption(
      new Option(
        "--outputs <file>",
        `the stage's outputs (default: ${SST_OUTPUTS_FILE}, written by \`sst deploy\`)`,
      ),
    );
}

/** The client a command's options ask for. */
export async function connect(command: Command, o: TargetOptions): Promise<SagaClient> {
  if (o.stage === undefined) {
    if (o.outputs !== undefined)
      throw new CliInputError("--outputs names a stage's outputs: pass --stage <name> with it");
    return localClient(o);
  }
  const local = ["dataDir", "url"].filter((k) => command.getOptionValueSource(k) === "cli");
  if (local.length > 0) {
    throw new CliInputError(
      `--stage works on a deployed stage, ${local.map((k) => (k === "dataDir" ? "--data-dir" : "--url")).join(" and ")} on the local platform: pass one or the other`,
    );
  }
  // Loaded when used: the SDK clients are most of a command's start-up time.
  const { StageClient } = await import("./stage-client.ts");
  return StageClient.forStage(o.stage, o.outputs);
}

async function localClient(o: TargetOptions): Promise<PlatformClient> {
  const { PlatformClient } = await import("./local-client.ts");
  return PlatformClient.connect(o.dataDir, o.url);
}

/** The local platform only (start, outbox, the demo order). */
export async function connectLocal(o: TargetOptions, what: string): Promise<PlatformClient> {
  if (o.stage !== undefined)
    throw new CliInputError(`${what} exists only on the local platform: drop --stage`);
  return localClient(o);
}
