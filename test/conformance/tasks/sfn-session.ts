/**
 * One corpus case's world: a runtime with the case's functions (in memory, on a VirtualClock, or
 * on a ScaledClock when a function outlives its task), its wire API on a loopback port, and an
 * unchanged `@aws-sdk/client-sfn` talking to it. Every call a case makes goes over HTTP.
 */
import { SFNClient } from "@aws-sdk/client-sfn";
import {
  type Clock,
  createRuntime,
  type SfnRuntime,
  type SfnServer,
  serveSfnApi,
  VirtualClock,
} from "../../../local/sfn/index.ts";
import { functionsOf } from "./behaviours.ts";
import type { Substitutions } from "./placeholders.ts";
import { ScaledClock } from "./scaled-clock.ts";

/** Where and as whom the corpus runs; `${region}` etc. become these. */
export const CORPUS_ENV: Substitutions = {
  region: "us-east-1",
  account: "123456789012",
  role: "arn:aws:iam::123456789012:role/corpus-sfn-role",
};

/** The virtual time every case starts at. */
const START = Date.UTC(2024, 3, 18, 6, 17, 37, 123);

export interface Session {
  runtime: SfnRuntime;
  clock: Clock;
  /** Set when the clock is virtual: the driver moves it. */
  virtual: VirtualClock | undefined;
  sfn: SFNClient;
  /** Errors of the runtime's background work (none expected). */
  errors: unknown[];
  close(): Promise<void>;
}

/** Opens a session for a case with these functions (name → behaviour id). */
export async function openSession(functions: Record<string, string>): Promise<Session> {
  // A handler that sleeps past its task's timeout keeps the runtime busy, and a VirtualClock only
  // moves once the runtime is idle: such cases run on real time, sped up (scaled-clock.ts).
  const sleeps = Object.values(functions).some((b) => b.startsWith("sleep:"));
  const virtual = sleeps ? undefined : new VirtualClock(START);
  const clock: Clock = virtual ?? new ScaledClock(START, 100);
  const errors: unknown[] = [];
  const runtime = createRuntime({
    store: "memory",
    clock,
    functions: functionsOf(functions, clock),
    region: CORPUS_ENV.region,
    accountId: CORPUS_ENV.account,
    onError: (error) => errors.push(error),
  });
  let server: SfnServer;
  try {
    server = await serveSfnApi(runtime, { port: 0, host: "127.0.0.1" });
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const sfn = new SFNClient({
    endpoint: server.url,
    region: CORPUS_ENV.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
    disableHostPrefix: true,
  });
  return {
    runtime,
    clock,
    virtual,
    sfn,
    errors,
    async close() {
      sfn.destroy();
      await server.close();
      // A handler still sleeping past its task's timeout finishes first (at most its sleep).
      await runtime.idle();
      await runtime.close();
    },
  };
}
