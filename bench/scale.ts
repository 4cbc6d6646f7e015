/**
 * Scale (`npm run bench -- --scale`): 1,000,000 executions waiting on a task token in one durable
 * runtime, as approvals wait for people. Measures the process's peak resident memory, the bytes
 * on disk per waiting execution, the start-up time of a runtime that reopens the data directory,
 * and the latency of resuming one execution chosen at random (SendTaskSuccess until it has
 * SUCCEEDED), one at a time; CPU time beside each wall time.
 *
 * The function hands over the tokens of a random sample only (a real approval service keeps its
 * tokens in its table, not in the runtime's memory), so the process holds nothing per execution.
 *
 *   node --import tsx bench/scale.ts [count]
 */
import { randomInt } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRuntime, type SfnRuntime } from "../local/sfn/index.ts";
import type { Figure } from "./figures.ts";
import { percentile, progress } from "./stats.ts";

export interface ScaleOptions {
  /** Executions left waiting (default 1,000,000). */
  count?: number;
  /** Executions resumed at random after the reopen (default 1,000). */
  samples?: number;
  /** Starts in flight at a time. */
  concurrency?: number;
}

export interface ScaleResult {
  count: number;
  /** Starts per second until every execution waited (its token handed out), and their CPU. */
  startPerSec: number;
  startCpuSecPer1k: number;
  /** Resident memory once all wait (after a GC when exposed), MB. */
  waitingRssMB: number;
  /** Peak resident memory of the whole process (start, reopen, resumes), MB. */
  peakRssMB: number;
  /** Data directory size after the runtime closed, per waiting execution. */
  bytesPerExecution: number;
  /** createRuntime on the data directory until the runtime is idle, ms, and its CPU ms. */
  reopenMs: number;
  reopenCpuMs: number;
  /** One random execution resumed at a time: SendTaskSuccess until SUCCEEDED. */
  resumeMsP50: number;
  resumeMsP99: number;
  resumeCpuMsPerExecution: number;
}

const FUNCTION = "scale-approval";

/** An approval step: the token goes to the function, the execution waits up to a week. */
const definition = {
  Comment: "An approval waiting on its task token",
  StartAt: "Approve",
  States: {
    Approve: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: {
        FunctionName: FUNCTION,
        Payload: { "id.$": "$.id", "token.$": "$$.Task.Token" },
      },
      TimeoutSeconds: 7 * 86_400,
      End: true,
    },
  },
};

function inputOf(id: number): string {
  return `{"id":${id},"orderId":"order-${String(id).padStart(7, "0")}","total":42.5}`;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
}

function peakRssMB(): number {
  // maxRSS is in kilobytes.
  return process.resourceUsage().maxRSS / 1024;
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) total += statSync(join(dir, name)).size;
  return total;
}

/** Runs the scale benchmark in a fresh temporary data directory. */
export async function runScale(options: ScaleOptions = {}): Promise<ScaleResult> {
  const count = options.count ?? 1_000_000;
  const sampleCount = Math.min(options.samples ?? 1_000, count);
  const concurrency = options.concurrency ?? 256;
  const dataDir = mkdtempSync(join(tmpdir(), "countersign-bench-scale-"));
  // The ids whose tokens the function hands over, chosen before anything runs.
  const sampled = new Set<number>();
  while (sampled.size < sampleCount) sampled.add(randomInt(count));
  const tokens = new Map<number, string>();
  const arns = new Map<number, string>();
  const functions = {
    [FUNCTION]: async (event: unknown) => {
      const { id, token } = event as { id: number; token: string };
      if (sampled.has(id)) tokens.set(id, token);
      return {};
    },
  };
  let runtime: SfnRuntime | undefined = createRuntime({ dataDir, functions });
  try {
    const { stateMachineArn } = runtime.createStateMachine({
      name: "scale-approvals",
      definition: JSON.stringify(definition),
    });

    // 1. Start them all; each ends up waiting for its token.
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let next = 0;
    let lastReport = t0;
    const starter = async (r: SfnRuntime) => {
      while (next < count) {
        const id = next++;
        const { executionArn } = await r.startExecution({ stateMachineArn, input: inputOf(id) });
        if (sampled.has(id)) arns.set(id, executionArn);
        if (id % 10_000 === 0) {
          // Let the invocations that follow the starts catch up before starting more.
          await r.idle();
          if (performance.now() - lastReport > 10_000) {
            lastReport = performance.now();
            progress(
              "scale",
              `${id.toLocaleString("en-US")} started, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`,
            );
          }
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, () => starter(runtime as SfnRuntime)));
    await runtime.idle();
    const startSeconds = (performance.now() - t0) / 1000;
    const startCpu = cpuMs(cpu0);
    if (tokens.size !== sampleCount) {
      throw new Error(`expected ${sampleCount} sampled tokens, got ${tokens.size}`);
    }
    (globalThis as { gc?: () => void }).gc?.();
    const waitingRssMB = process.memoryUsage().rss / 2 ** 20;
    progress(
      "scale",
      `${count.toLocaleString("en-US")} waiting after ${startSeconds.toFixed(1)} s, rss ${Math.round(waitingRssMB)} MB`,
    );
    await runtime.close();
    runtime = undefined;
    const bytes = directoryBytes(dataDir);

    // 2. Reopen: a new runtime on the same data directory, until it is idle.
    const r0 = performance.now();
    const rcpu0 = process.cpuUsage();
    runtime = createRuntime({ dataDir, functions });
    await runtime.idle();
    const reopenMs = performance.now() - r0;
    const reopenCpuMs = cpuMs(rcpu0);
    progress("scale", `reopened in ${reopenMs.toFixed(0)} ms`);

    // 3. Resume the sampled executions one at a time, in random order.
    const order = [...tokens.keys()];
    for (let i = order.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const latencies: number[] = [];
    const ecpu0 = process.cpuUsage();
    for (const id of order) {
      const s = performance.now();
      await runtime.sendTaskSuccess({
        taskToken: tokens.get(id) as string,
        output: '{"approved":true}',
      });
      const done = await runtime.waitForExecution(arns.get(id) as string);
      latencies.push(performance.now() - s);
      if (done.status !== "SUCCEEDED" || done.output !== '{"approved":true}') {
        throw new Error(`execution ${id} did not succeed after SendTaskSuccess: ${done.status}`);
      }
    }
    const resumeCpu = cpuMs(ecpu0);
    return {
      count,
      startPerSec: count / startSeconds,
      startCpuSecPer1k: startCpu / count,
      waitingRssMB,
      peakRssMB: peakRssMB(),
      bytesPerExecution: bytes / count,
      reopenMs,
      reopenCpuMs,
      resumeMsP50: percentile(latencies, 50),
      resumeMsP99: percentile(latencies, 99),
      resumeCpuMsPerExecution: resumeCpu / latencies.length,
    };
  } finally {
    await runtime?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The `scale` section's figures. */
export async function runScaleSection({ quick }: { quick: boolean }): Promise<Figure[]> {
  const count = quick ? 2_000 : 1_000_000;
  progress("scale", `${count.toLocaleString("en-US")} executions waiting on a task token`);
  const r = await runScale({ count, samples: quick ? 100 : 1_000 });
  const of = `${r.count.toLocaleString("en-US")} waiting executions`;
  return [
    {
      name: "scale.peakRssMB",
      value: r.peakRssMB,
      unit: "MB",
      note: `${of}; whole process, start to last resume`,
    },
    { name: "scale.waitingRssMB", value: r.waitingRssMB, unit: "MB", note: "once all wait" },
    {
      name: "scale.bytesPerExecution",
      value: r.bytesPerExecution,
      unit: "B",
      note: "data directory after close, per waiting execution (input ~50 B, a 7-day TimeoutSeconds timer)",
    },
    {
      name: "scale.startPerSec",
      value: r.startPerSec,
      unit: "exec/s",
      note: "StartExecution until each waits on its token, 256 starts in flight",
    },
    { name: "scale.startCpuSecPer1k", value: r.startCpuSecPer1k, unit: "CPU s/1k" },
    {
      name: "scale.reopenMs",
      value: r.reopenMs,
      unit: "ms",
      note: "createRuntime on the data directory until idle",
    },
    { name: "scale.reopenCpuMs", value: r.reopenCpuMs, unit: "CPU ms" },
    {
      name: "scale.resumeMs.p50",
      value: r.resumeMsP50,
      unit: "ms",
      note: "one random execution at a time: SendTaskSuccess until SUCCEEDED",
    },
    { name: "scale.resumeMs.p99", value: r.resumeMsP99, unit: "ms" },
    { name: "scale.resumeCpuMsPerExecution", value: r.resumeCpuMsPerExecution, unit: "CPU ms" },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = Number(process.argv[2] ?? 1_000_000);
  const r = await runScale({ count });
  console.log(JSON.stringify(r, null, 2));
}
