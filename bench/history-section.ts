/**
 * Issue 16: a history at AWS's 25,000-event limit, read through the wire API, must not stall the
 * server or its memory. The durable runtime behind the real HTTP API (`sfn serve` as users run
 * it) runs a two-state Pass loop until the limit ends it; then one client reads the whole history
 * six times (GetExecutionHistory, 1,000 events a page, as the AWS CLI pages it) while another
 * calls DescribeExecution every 10 ms. Figures: that other call's latency (target: at most
 * 100 ms), the longest the event loop was blocked, the peak resident memory of the process
 * (target: 300 MB), and the time of one whole read. The reader is a process of its own
 * (`history-reader.ts`), so only the server's work is measured here. The test beside the code
 * (`local/sfn/api/history-limit.test.ts`) asserts what makes this hold, without a clock: each
 * page decodes its own events, not the history.
 */

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DescribeExecutionCommand, SFNClient } from "@aws-sdk/client-sfn";
import { createRuntime, serveSfnApi } from "../local/sfn/index.ts";
import type { Figure } from "./figures.ts";
import { percentile, progress } from "./stats.ts";

const READER = fileURLToPath(new URL("./history-reader.ts", import.meta.url));
const LOOP = {
  StartAt: "Ping",
  States: { Ping: { Type: "Pass", Next: "Pong" }, Pong: { Type: "Pass", Next: "Ping" } },
};

export async function runHistorySection({ quick }: { quick: boolean }): Promise<Figure[]> {
  const reads = quick ? 1 : 6;
  const dir = mkdtempSync(join(tmpdir(), "bench-history-"));
  const runtime = createRuntime({ dataDir: dir });
  const server = await serveSfnApi(runtime, { port: 0, host: "127.0.0.1" });
  const prober = new SFNClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  try {
    const { stateMachineArn } = runtime.createStateMachine({
      name: "ping-pong",
      definition: JSON.stringify(LOOP),
    });
    // Every event carries the 4 KiB input on: about 100 MB of JSON if the history were built whole.
    const { executionArn } = await runtime.startExecution({
      stateMachineArn,
      input: JSON.stringify({ pad: "x".repeat(4096) }),
    });
    const ended = await runtime.waitForExecution(executionArn);
    progress("history25k", `loop ended ${ended.status} (${ended.error}); reading it ${reads}×`);

    // The same probe first without a reader: what the machine's own load does to the figures.
    const idle = await probeDuring(prober, executionArn, sleep(quick ? 500 : 3000));
    // The reader runs in its own process: its JSON parsing must not count against this one.
    let stdout = "";
    const reading = promisify(execFile)(
      process.execPath,
      ["--import", "tsx", READER, server.url, executionArn, String(reads)],
      { maxBuffer: 1024 * 1024 },
    ).then((r) => {
      stdout = r.stdout;
    });
    const busy = await probeDuring(prober, executionArn, reading);
    const { events, readMs } = JSON.parse(stdout) as { events: number; readMs: number[] };
    const note = `${busy.latencies.length} DescribeExecution calls during ${reads} reads`;
    progress(
      "history25k",
      `${events} events; ${note}; peak RSS ${busy.peakRssMB.toFixed(0)} MB; without reads: max ${idle.maxMs.toFixed(0)} ms, event loop ${idle.blockMs.toFixed(0)} ms`,
    );
    return [
      { name: "history25k.events", value: events, unit: "events" },
      { name: "history25k.otherCallMs.max", value: busy.maxMs, unit: "ms", note },
      { name: "history25k.otherCallMs.p99", value: percentile(busy.latencies, 99), unit: "ms" },
      { name: "history25k.eventLoopBlockMs.max", value: busy.blockMs, unit: "ms" },
      {
        name: "history25k.withoutReads.otherCallMs.max",
        value: idle.maxMs,
        unit: "ms",
        note: "the same probe before the reads: the machine's own share",
      },
      { name: "history25k.withoutReads.eventLoopBlockMs.max", value: idle.blockMs, unit: "ms" },
      { name: "history25k.rssMB", value: busy.peakRssMB, unit: "MB" },
      { name: "history25k.readAllMs", value: percentile(readMs, 50), unit: "ms" },
    ];
  } finally {
    prober.destroy();
    await server.close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Probe {
  latencies: number[];
  maxMs: number;
  /** Longest the event loop was blocked (ms). */
  blockMs: number;
  peakRssMB: number;
}

/** Calls DescribeExecution every 10 ms until `until` settles; latencies, event loop, peak RSS. */
async function probeDuring(
  sfn: SFNClient,
  executionArn: string,
  until: Promise<unknown>,
): Promise<Probe> {
  let done = false;
  const settled = until.finally(() => {
    done = true;
  });
  const latencies: number[] = [];
  let peakRss = process.memoryUsage().rss;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  while (!done) {
    const t0 = performance.now();
    await sfn.send(new DescribeExecutionCommand({ executionArn }));
    latencies.push(performance.now() - t0);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    await sleep(10);
  }
  delay.disable();
  await settled;
  return {
    latencies,
    maxMs: Math.max(...latencies),
    blockMs: delay.max / 1e6,
    peakRssMB: peakRss / 1e6,
  };
}
