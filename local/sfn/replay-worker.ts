/**
 * The worker side of `replay.ts`: rebuilds an execution's history by running the engine's `start`
 * again (deterministic: same definition, params and task-token secret, same events), posts it to
 * the port and wakes the thread waiting on the shared flag.
 */
import { type MessagePort, workerData } from "node:worker_threads";
import { type CompiledMachine, compile, start } from "../asl/index.ts";
import type { Json, StartParams, StateMachineType } from "../asl/types.ts";
import { TokenCodec } from "./tokens.ts";

/** What to replay: the stored row's definition, start parameters and input text. */
export interface ReplayRequest {
  definition: string;
  type: StateMachineType;
  params: Omit<StartParams, "input">;
  inputText: string;
}

/** What comes back: the history, or why it could not be rebuilt. */
export type ReplayReply = { history: unknown[] } | { error: string };

const { port, flag, secret } = workerData as {
  port: MessagePort;
  flag: Int32Array;
  secret: string;
};
const tokens = new TokenCodec(Buffer.from(secret, "base64"));
const services = { mintTaskToken: (arn: string, id: string) => tokens.mint(arn, id) };
const machines = new Map<string, CompiledMachine>();

async function replay(req: ReplayRequest): Promise<ReplayReply> {
  const key = `${req.type}\n${req.definition}`;
  let machine = machines.get(key);
  if (!machine) {
    // It compiled when the execution started; resources need no check again.
    machine = compile(JSON.parse(req.definition), { type: req.type });
    if (machines.size >= 32) machines.clear();
    machines.set(key, machine);
  }
  const input = JSON.parse(req.inputText) as Json;
  const result = await start(machine, { ...req.params, input }, services);
  return { history: result.history };
}

port.on("message", (req: ReplayRequest) => {
  void replay(req)
    .catch((error: unknown): ReplayReply => ({ error: String((error as Error)?.stack ?? error) }))
    .then((reply) => {
      port.postMessage(reply);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    });
});
