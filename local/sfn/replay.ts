/**
 * Rebuilds, synchronously, the history of an execution stored without one (it ended in its first
 * step: `start` alone produces it). The engine is async (JSONata) while `GetExecutionHistory` is a
 * synchronous runtime method, so `start` runs again in a worker thread while this thread blocks on
 * `Atomics.wait` until the answer is posted. The worker starts on first use (a few hundred ms: it
 * loads the engine through tsx, as the main thread did) and does not keep the process alive.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from "node:worker_threads";
import type { HistoryEvent } from "../asl/types.ts";
import type { ReplayReply, ReplayRequest } from "./replay-worker.ts";

const WORKER_URL = new URL("./replay-worker.ts", import.meta.url).href;
/** Sources run through tsx (no build step); the worker registers it too, whatever started us. */
const TSX_API = pathToFileURL(
  join(
    dirname(createRequire(import.meta.url).resolve("tsx/package.json")),
    "dist/esm/api/index.mjs",
  ),
).href;
const ANSWER_WITHIN_MS = 60_000;

/** Replays histories in a lazily started worker; `close` stops it. */
export class HistoryReplayer {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  /** `secret`: the task-token secret (base64), so replayed tokens read as the original ones. */
  constructor(private readonly secret: string) {}

  /** The history `start` produces for `req`; blocks this thread until the worker answers. */
  replay(req: ReplayRequest): HistoryEvent[] {
    const port = this.connect();
    Atomics.store(this.flag, 0, 0);
    port.postMessage(req);
    const until = Date.now() + ANSWER_WITHIN_MS;
    while (Atomics.wait(this.flag, 0, 0, 1000) === "timed-out") {
      if (Date.now() > until) {
        this.close();
        throw new Error(`replaying the history of ${req.params.executionArn} took over 60 s`);
      }
    }
    const reply = receiveMessageOnPort(port)?.message as ReplayReply | undefined;
    if (!reply || "error" in reply) {
      this.close(); // the next replay starts a fresh worker
      throw new Error(
        `replaying the history of ${req.params.executionArn} failed: ${reply?.error ?? "no answer"}`,
      );
    }
    return reply.history as HistoryEvent[];
  }

  close(): void {
    void this.worker?.terminate();
    this.port?.close();
    this.worker = undefined;
    this.port = undefined;
  }

  private connect(): MessagePort {
    if (this.port) return this.port;
    const { port1, port2 } = new MessageChannel();
    const tsx = JSON.stringify(TSX_API);
    const worker = JSON.stringify(WORKER_URL);
    // If the worker cannot load, say so on the shared flag instead of leaving replay() waiting.
    const code = `const { workerData } = require("node:worker_threads");
import(${tsx}).then((tsx) => { tsx.register(); return import(${worker}); }).catch((error) => {
  workerData.port.postMessage({ error: String(error && error.stack || error) });
  Atomics.store(workerData.flag, 0, 1);
  Atomics.notify(workerData.flag, 0);
});`;
    this.worker = new Worker(code, {
      eval: true,
      workerData: { port: port2, flag: this.flag, secret: this.secret },
      transferList: [port2],
    });
    this.worker.unref();
    this.port = port1;
    return port1;
  }
}
