/**
 * One durable local runtime (`createRuntime` on a temporary data directory, a `VirtualClock`)
 * running the order saga with the real handlers, plus the approval API a person's click reaches:
 * the Api function's Hono app (in its scope, as `npm start` serves it) whose Step Functions client
 * talks to the runtime through its wire API.
 *
 * A crash closes the runtime while an invocation is in flight, so that invocation's answer is
 * never recorded; the next settle opens a new runtime on the same data directory, which resumes
 * every execution from its log (re-invoking the task that was running, re-arming timers at their
 * original times, keeping token waits). That is what a process killed between an effect and its
 * recording leaves behind. It is not a torn write: whatever the store committed is intact
 * (test/sfn/crash.test.ts SIGKILLs a real process for that).
 *
 * The approval API reaches Step Functions through one client for the whole world, which waits for
 * a crashed runtime to be back and sends again: on AWS the service does not go down when a task's
 * process dies, so a decision made during a crash is delivered, not left to the reminder sweep
 * (which this world does not run: it would sweep the whole shared table, other tests' requests
 * included; functions/approvals/service.int.test.ts covers the sweep's redelivery).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SFNClient } from "@aws-sdk/client-sfn";
import { createApi } from "../../functions/api/app.ts";
import { depsFromResources } from "../../functions/api/deps.ts";
import { localDefinition } from "../../local/platform/functions.ts";
import { runAs } from "../../local/platform/scope.ts";
import {
  createRuntime,
  type FunctionMap,
  type SfnRuntime,
  type SfnServer,
  serveSfnApi,
  VirtualClock,
} from "../../local/sfn/index.ts";
import {
  apiScope,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  registerRuntime,
  SAGA_NAME,
} from "./platform-wiring.ts";

/** One life of the runtime: from opening the data directory to its crash or close. */
interface Generation {
  runtime: SfnRuntime;
  /** Resolves once `runtime` exists (a resumed task may crash it while it is being built). */
  ready: Promise<SfnRuntime>;
  api: Promise<{ server: SfnServer; fetch: (r: Request) => Promise<Response> }>;
  forget: () => void;
  /** Set by the first crash: resolves once the runtime no longer records answers. */
  dying?: Promise<void>;
  /** Set by the first crash: resolves once everything of this generation is closed. */
  gone?: Promise<void>;
}

export class SagaWorld {
  readonly clock: VirtualClock;
  readonly stateMachineArn: string;
  /** Errors the runtime reported from background work (none is expected). */
  readonly errors: string[] = [];
  crashes = 0;
  private gen: Generation;
  private recovering: Promise<void> | undefined;
  private readonly unsettle: () => void;
  /** The approval API's Step Functions client: the current runtime's wire API, across crashes. */
  private readonly sfn: SFNClient;

  /**
   * @param functions the handlers for one runtime; `crash` kills that runtime (faults.ts).
   * @param start the virtual clock's start. Only the runtime runs on it: the approval service
   *   keeps the wall clock (its handler builds its own dependencies, as on Lambda), so a request
   *   expires for it 24 real hours on, which no run lasts, while the saga's wait for the decision
   *   times out on the runtime's clock, as Step Functions times it out on AWS.
   */
  constructor(
    private readonly functions: (crash: () => Promise<void>) => FunctionMap,
    start = Date.now(),
    private readonly dataDir = mkdtempSync(join(tmpdir(), "saga-world-")),
  ) {
    this.clock = new VirtualClock(start);
    this.sfn = this.stepFunctionsClient();
    this.gen = this.open();
    this.stateMachineArn = this.gen.runtime.createStateMachine({
      name: SAGA_NAME,
      definition: localDefinition(),
      roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/countersign-local`,
    }).stateMachineArn;
    // A crash inside a timer's work (the clock is advancing) is recovered before the next timer.
    this.unsettle = this.clock.onSettle(() => this.recover());
  }

  /** The current runtime (a new one after each crash). */
  get runtime(): SfnRuntime {
    return this.gen.runtime;
  }

  /** Starts an order (execution name = order id) and returns its execution ARN. */
  async start(order: { orderId: string }): Promise<string> {
    await this.settle();
    const { executionArn } = await this.runtime.startExecution({
      stateMachineArn: this.stateMachineArn,
      name: order.orderId,
      input: JSON.stringify(order),
    });
    return executionArn;
  }

  /** Runs everything due until nothing is in flight, reopening the runtime after any crash. */
  async settle(): Promise<void> {
    do {
      await this.recover();
      await this.clock.runDue();
    } while (this.gen.dying);
  }

  /** Moves virtual time forward (firing retries and timeouts on the way), then settles. */
  async advance(ms: number): Promise<void> {
    await this.clock.advance(ms);
    await this.settle();
  }

  /** Kills the current runtime now (also from the driver: "the process died while waiting"). */
  crash(): Promise<void> {
    return this.kill(this.gen);
  }

  /** An HTTP request to the approval API, as the platform serves it (the Api function's scope). */
  async fetch(request: Request): Promise<Response> {
    await this.settle();
    return (await this.gen.api).fetch(request);
  }

  /** Closes everything and deletes the data directory. */
  async close(): Promise<void> {
    this.unsettle();
    await this.kill(this.gen, false);
    await this.gen.gone;
    this.sfn.destroy();
    // A closed runtime's background thread may still be letting go of its SQLite files.
    rmSync(this.dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }

  private open(): Generation {
    let ready!: (runtime: SfnRuntime) => void;
    const gen = { ready: new Promise<SfnRuntime>((r) => (ready = r)) } as Generation;
    // The constructor resumes executions: a re-invoked task may crash this very runtime.
    gen.runtime = createRuntime({
      dataDir: this.dataDir,
      clock: this.clock,
      functions: this.functions(() => this.kill(gen)),
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT,
      onError: (error) => {
        if (!gen.dying) this.errors.push(String((error as Error)?.stack ?? error));
      },
    });
    ready(gen.runtime);
    gen.forget = registerRuntime(gen.runtime);
    gen.api = serveSfnApi(gen.runtime, { port: 0, host: "127.0.0.1" }).then((server) => {
      const scope = apiScope();
      const { app } = runAs(scope, () =>
        createApi(depsFromResources({ local: true, sfn: this.sfn })),
      );
      const fetch = async (request: Request) => runAs(scope, () => app.fetch(request));
      return { server, fetch };
    });
    return gen;
  }

  /**
   * One client for every generation: each call goes to the current runtime's server, and a call
   * that failed because its runtime crashed meanwhile is sent again to the next one. A call the
   * runtime answered (an error such as TaskTimedOut included) is never repeated.
   */
  private stepFunctionsClient(): SFNClient {
    const client = new SFNClient({
      region: LOCAL_REGION,
      endpoint: async () => ({ url: new URL((await this.gen.api).server.url) }),
    });
    client.middlewareStack.add(
      (next) => async (args) => {
        for (let attempt = 1; ; attempt++) {
          await this.recover();
          const gen = this.gen;
          try {
            return await next(args);
          } catch (error) {
            if (!gen.dying || attempt >= 5) throw error;
          }
        }
      },
      { step: "initialize", name: "sendAgainAfterACrash" },
    );
    return client;
  }

  private kill(gen: Generation, crash = true): Promise<void> {
    if (!gen.dying) {
      if (crash) this.crashes++;
      let dead!: () => void;
      gen.dying = new Promise<void>((r) => (dead = r));
      gen.gone = gen.ready.then(async (runtime) => {
        // From this call on the runtime records nothing; it then waits for in-flight work.
        const closing = runtime.close();
        dead();
        await closing;
        gen.forget();
        const { server } = await gen.api;
        await server.close();
      });
    }
    return gen.dying;
  }

  private recover(): Promise<void> {
    this.recovering ??= (async () => {
      while (this.gen.dying) {
        await this.gen.gone;
        this.gen = this.open();
        await this.gen.api;
      }
    })().finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  }
}
