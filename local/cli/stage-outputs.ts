/**
 * A deployed stage's outputs, as SST writes them: after every successful `sst deploy`, SST v4
 * writes what `run()` in sst.config.ts returns to `.sst/outputs.json` in the app's directory
 * (one file: the last deploy made from that directory, whichever stage it was). Countersign's
 * outputs name their stage, so the CLI never mistakes one stage's table for another's; a saved
 * copy (`--outputs FILE`) serves another machine or another stage.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as z from "zod";
import { CliInputError } from "./errors.ts";
import { SST_OUTPUTS_FILE } from "./sst-outputs-file.ts";

const schema = z.object({
  stage: z.string().min(1),
  stateMachineArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:/, "must be a state machine ARN"),
  table: z.string().min(1),
  api: z.url(),
  sender: z.string().min(1),
});

/** What the CLI needs of a stage. */
export interface StageOutputs extends z.infer<typeof schema> {
  /** The region the stage runs in (from the state machine's ARN). */
  region: string;
  /** The file they were read from. */
  file: string;
}

/** Reads and checks the outputs of `stage` from `file` (default: SST's `.sst/outputs.json`). */
export function readStageOutputs(stage: string, file: string = SST_OUTPUTS_FILE): StageOutputs {
  const path = resolve(file);
  const redeploy = `run \`npx sst deploy --stage ${stage}\` in the app's directory (without changes it only refreshes ${SST_OUTPUTS_FILE}), or pass --outputs <a saved copy of that stage's outputs>`;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === "ENOENT";
    throw new CliInputError(
      `No outputs for stage ${stage}: ${path} ${missing ? "does not exist" : `cannot be read (${(cause as Error).message})`}; ${redeploy}`,
      { cause },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new CliInputError(`${path} is not JSON: ${redeploy}`, { cause });
  }
  const named = (raw as { stage?: unknown } | null)?.stage;
  if (typeof named === "string" && named !== stage) {
    throw new CliInputError(
      `${path} holds the outputs of stage ${named}, not ${stage}: ${redeploy}`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`);
    throw new CliInputError(
      `${path} is not a Countersign stage's outputs (${fields.join("; ")}): ${redeploy}`,
    );
  }
  const region = parsed.data.stateMachineArn.split(":")[3] as string;
  return { ...parsed.data, region, file: path };
}
