/**
 * Which part of a local platform is up: the platform process, its API, its Step Functions API,
 * DynamoDB Local and the SES outbox, each probed over its real endpoint, plus what the supervisor
 * recorded about DynamoDB Local (`health.json` in the data directory). `countersign status` prints
 * it, and a CLI command whose request was refused uses it to say which part is down instead of
 * "the platform is not running".
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isAlive, readUrls } from "./data-dir.ts";
import type { ChildHealth } from "./supervisor.ts";

/** What the running platform writes for the CLI. */
export interface HealthFile {
  dynamodb: ChildHealth;
}

const FILE = "health.json";

export function writeHealth(dir: string, health: HealthFile): void {
  // Written aside and renamed into place: a reader (`status`, a test polling it) sees the old
  // file or the new one, never a truncated one.
  const file = join(dir, FILE);
  writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(health, null, 2)}\n`);
  renameSync(`${file}.${process.pid}.tmp`, file);
}

export function readHealth(dir: string): HealthFile | undefined {
  const file = join(resolve(dir), FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as HealthFile;
  } catch {
    return undefined;
  }
}

export type PartName = "platform" | "api" | "stepFunctions" | "dynamodb" | "ses";

export interface PartStatus {
  part: PartName;
  label: string;
  url?: string;
  up: boolean;
  detail: string;
}

export interface PlatformStatus {
  dataDir: string;
  pid: number;
  up: boolean;
  parts: PartStatus[];
}

const LABELS: Record<PartName, string> = {
  platform: "Platform process",
  api: "API + dashboard",
  stepFunctions: "Step Functions",
  dynamodb: "DynamoDB Local",
  ses: "SES outbox",
};

/** Probes every part of the platform recorded in `dataDir`. */
export async function platformStatus(dataDir: string): Promise<PlatformStatus> {
  const urls = readUrls(dataDir);
  const alive = isAlive(urls.pid);
  const supervised = readHealth(dataDir)?.dynamodb;
  const [api, stepFunctions, dynamodb, ses] = await Promise.all([
    probe(`${urls.api}/api/config`, { method: "GET" }),
    probe(`${urls.stepFunctions}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "AWSStepFunctions.ListStateMachines",
      },
      body: "{}",
    }),
    probe(urls.dynamodb, { method: "POST" }),
    probe(`${urls.ses}/`, { method: "GET" }),
  ]);
  const parts: PartStatus[] = [
    {
      part: "platform",
      label: LABELS.platform,
      up: alive,
      detail: alive ? `pid ${urls.pid}` : `pid ${urls.pid} is gone: start it again`,
    },
    part("api", urls.api, api),
    part("stepFunctions", urls.stepFunctions, stepFunctions),
    part("dynamodb", urls.dynamodb, dynamodb, alive ? supervised : undefined),
    part("ses", urls.ses, ses),
  ];
  return { dataDir: resolve(dataDir), pid: urls.pid, up: parts.every((p) => p.up), parts };
}

function part(name: PartName, url: string, answer: string | true, supervised?: ChildHealth) {
  const up = answer === true;
  let detail = up ? "answers" : `not answering (${answer})`;
  if (supervised && supervised.restarts > 0 && up) {
    detail += `; restarted ${supervised.restarts}× (last exit: ${supervised.lastExit})`;
  }
  if (supervised && !up && supervised.status === "restarting") {
    detail += `: the platform is restarting it since ${supervised.since}${supervised.lastError ? ` (last attempt: ${supervised.lastError})` : ""}; requests fail as retryable meanwhile`;
  }
  return { part: name, label: LABELS[name], url, up, detail };
}

/** `true` when the URL gives any HTTP answer, else why not (a refused connection, a timeout). */
async function probe(url: string, init: RequestInit): Promise<string | true> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(3_000) });
    await res.body?.cancel();
    return true;
  } catch (error) {
    const e = error as { name?: string; cause?: { code?: string } };
    return e.cause?.code ?? e.name ?? "no answer";
  }
}

/**
 * For a request the platform recorded in `dataDir` did not answer: which part is down, in a
 * sentence, when the platform process itself is alive (else `undefined`: it is not running).
 * Probes every part rather than trusting the failed call's error, which often does not say which
 * endpoint it was (a reset connection names no port).
 */
export async function downPart(dataDir: string): Promise<string | undefined> {
  const status = await platformStatus(dataDir);
  // The API is served by the platform process itself: when it is silent too, the platform is not
  // running (or its pid now belongs to another process), whatever else answers.
  const alive = (part: PartName) => status.parts.find((p) => p.part === part)?.up;
  if (!alive("platform") || !alive("api")) return undefined;
  const down = status.parts.find((p) => !p.up);
  if (!down) return undefined;
  const restarting =
    down.part === "dynamodb"
      ? " (the platform restarts it by itself: try again in a few seconds)"
      : "";
  return `${down.label} (${down.url}) is not answering although the platform (pid ${status.pid}) runs${restarting}; \`countersign status\` shows every part`;
}
