/**
 * Supervision of DynamoDB Local, the one child process the platform depends on. A JVM can die
 * (killed by the OOM killer or a person, a crash): the platform notices at once, says so, and
 * starts it again on the same port and the same data directory, so every endpoint the handlers,
 * the engine and the CLI were given stays right. While it is away, calls to it are refused; the
 * SDK reports that as a retryable error, the saga's handlers surface it as
 * `TransientInfrastructureError` and the state machine retries for minutes, the API answers 503
 * with `Retry-After`, and `countersign status` names the part that is down.
 *
 * A restart that fails (the port taken by another process meanwhile, a JVM that cannot start) is
 * tried again with a growing delay, up to {@link MAX_BACKOFF_MS}, until it succeeds or the
 * platform stops.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  type DynamoDbLocal,
  type DynamoDbLocalOptions,
  startDynamoDbLocal,
} from "../emulators/dynamodb-local.ts";

/** The longest pause between two restart attempts. */
export const MAX_BACKOFF_MS = 5_000;

/** What the supervisor knows about its child, as `countersign status` shows it. */
export interface ChildHealth {
  status: "up" | "restarting" | "stopped";
  endpoint: string;
  /** Restarts after an unexpected exit, since the platform started. */
  restarts: number;
  /** When the status last changed (ISO 8601). */
  since: string;
  /** How the last unexpected exit looked, e.g. `signal SIGKILL` or `exit code 137`. */
  lastExit?: string;
  /** Why the last restart attempt failed, while restarting. */
  lastError?: string;
}

export interface SupervisedDynamoDb {
  endpoint: string;
  port: number;
  loopbackOnly: boolean;
  health(): ChildHealth;
  /** The current JVM's guard process (it changes with each restart). */
  pid(): number;
  /** Stops supervising and stops the JVM. */
  stop(): Promise<void>;
}

export interface SuperviseOptions extends Pick<DynamoDbLocalOptions, "dbPath" | "onWarning"> {
  /** Progress lines ("DynamoDB Local exited…", "…is back"). */
  log: (line: string) => void;
  /** Told of every change of health (the platform writes it to the data directory). */
  onChange?: (health: ChildHealth) => void;
  /** Starts one JVM (tests may wrap it); DynamoDB Local's launcher by default. */
  start?: (options: DynamoDbLocalOptions) => Promise<DynamoDbLocal>;
}

/** Starts DynamoDB Local and keeps it running until `stop()`. */
export async function superviseDynamoDbLocal(
  options: SuperviseOptions,
): Promise<SupervisedDynamoDb> {
  const start = options.start ?? startDynamoDbLocal;
  let current = await start({
    dbPath: options.dbPath,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  const { port, endpoint, loopbackOnly } = current;
  let stopping = false;
  let health: ChildHealth = {
    status: "up",
    endpoint,
    restarts: 0,
    since: new Date().toISOString(),
  };
  const change = (next: Partial<ChildHealth>) => {
    health = { ...health, ...next, since: new Date().toISOString() };
    options.onChange?.(health);
  };
  options.onChange?.(health);

  const restart = async (exit: string): Promise<void> => {
    const down = Date.now();
    options.log(
      `DynamoDB Local exited unexpectedly (${exit}); restarting it on port ${port} with the same data…`,
    );
    change({ status: "restarting", lastExit: exit });
    for (let attempt = 0; !stopping; attempt++) {
      try {
        current = await start({ port, dbPath: options.dbPath });
      } catch (error) {
        const reason = (error as Error).message;
        change({ lastError: reason });
        options.log(`DynamoDB Local did not restart (${reason}); trying again…`);
        await sleep(Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt));
        continue;
      }
      if (stopping) {
        await current.stop();
        return;
      }
      const { lastError: _cleared, ...rest } = health;
      health = rest;
      change({ status: "up", restarts: health.restarts + 1 });
      options.log(
        `DynamoDB Local is back on ${endpoint} after ${((Date.now() - down) / 1000).toFixed(1)} s`,
      );
      watch(current);
      return;
    }
  };

  const watch = (child: DynamoDbLocal) => {
    void child.exited.then(({ code, signal }) => {
      if (stopping || child !== current) return;
      void restart(signal ? `signal ${signal}` : `exit code ${code}`);
    });
  };
  watch(current);

  return {
    endpoint,
    port,
    loopbackOnly,
    health: () => health,
    pid: () => current.pid,
    async stop() {
      stopping = true;
      await current.stop();
      change({ status: "stopped" });
    },
  };
}
