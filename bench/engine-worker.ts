/**
 * One side of the engine comparison in a process of its own (`engine-bench.ts` forks one per
 * side): prepares workloads and measures windows of back-to-back executions when asked, over
 * IPC. Each window reports executions, wall time and the CPU time of this whole process
 * (`process.cpuUsage`: every thread, so SQLite, the garbage collector's helpers and libuv's
 * pool all count).
 *
 *   (forked) node --import tsx bench/engine-worker.ts <memory|durable|peer>
 */
import type { Json } from "../local/asl/types.ts";
import {
  type SideName,
  type WorkloadKey,
  type WorkloadSizes,
  workloadInput,
} from "./engine-plan.ts";
import { type EngineSide, loadSide, type PreparedWorkload } from "./engines.ts";

/** What the comparison asks a worker. */
export type WorkerRequest =
  | { id: number; type: "prepare"; workload: WorkloadKey; sizes: WorkloadSizes }
  | { id: number; type: "measure"; inFlight: number; windowMs: number; minRuns: number }
  | { id: number; type: "close" };

/** A window: `runs` executions in `wallMs`, `cpuMs` of this process's CPU time. */
export interface WindowResult {
  runs: number;
  wallMs: number;
  cpuMs: number;
}

export type WorkerReply =
  | { id: number; ok: true; output?: Json; window?: WindowResult }
  | { id: number; ok: false; error: string };

/**
 * Runs `inFlight` loops of back-to-back executions until `windowMs` has passed and at least
 * `minRuns` have finished; waits for the ones in flight to end.
 */
export async function measureWindow(
  prepared: PreparedWorkload,
  inFlight: number,
  windowMs: number,
  minRuns: number,
): Promise<WindowResult> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = t0 + windowMs;
  let runs = 0;
  const loop = async () => {
    do {
      await prepared.run();
      runs++;
    } while (performance.now() < until || runs < minRuns);
  };
  const loops: Promise<void>[] = [];
  for (let i = 0; i < inFlight; i++) loops.push(loop());
  await Promise.all(loops);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { runs, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function main(): Promise<void> {
  const sideName = process.argv[2] as SideName;
  let side: EngineSide | undefined;
  let sideError: string | undefined;
  try {
    side = await loadSide(sideName);
  } catch (error) {
    sideError = error instanceof Error ? error.message : String(error);
  }
  let prepared: PreparedWorkload | undefined;
  const reply = (r: WorkerReply) => process.send?.(r);
  process.on("message", async (request: WorkerRequest) => {
    try {
      if (request.type === "close") {
        await side?.close();
        reply({ id: request.id, ok: true });
        process.disconnect();
        return;
      }
      if (!side) throw new Error(sideError ?? "the side did not load");
      if (request.type === "prepare") {
        prepared = undefined;
        const p = await side.prepare(
          request.workload,
          workloadInput(request.workload, request.sizes),
        );
        const output = await p.output();
        prepared = p;
        reply({ id: request.id, ok: true, output });
        return;
      }
      if (!prepared) throw new Error("no workload prepared");
      const window = await measureWindow(
        prepared,
        request.inFlight,
        request.windowMs,
        request.minRuns,
      );
      reply({ id: request.id, ok: true, window });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      reply({ id: request.id, ok: false, error: message.slice(0, 300) });
    }
  });
  reply({
    id: 0,
    ok: sideError === undefined,
    ...(sideError ? { error: sideError } : {}),
  } as WorkerReply);
}

if (process.send) await main();
