/**
 * 10,000 executions waiting on task tokens, then all resumed: prints the runtime's resident memory
 * while they wait (target ≤ 300 MB: waiting executions live on disk, not in memory) and the resume
 * throughput (SendTaskSuccess until every execution has SUCCEEDED; each one is checked).
 *
 *   node --import tsx bench/waiting-10k.ts [count]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRuntime } from "../local/sfn/index.ts";

export interface WaitingOptions {
  /** Executions to start (default 10,000). */
  count?: number;
  /** A plumbing check: 200 executions. */
  quick?: boolean;
  /** Keep the log in SQLite's memory instead of a temporary data directory. */
  inMemory?: boolean;
}

const definition = {
  Comment: "One approval waiting on its task token",
  StartAt: "Approve",
  States: {
    Approve: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: {
        FunctionName: "request-approval",
        Payload: { "order.$": "$.order", "token.$": "$$.Task.Token" },
      },
      TimeoutSeconds: 86400,
      End: true,
    },
  },
};

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) {
    await Promise.all(items.slice(i, i + size).map(fn));
  }
}

function rssMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / (1024 * 1024);
}

export interface WaitingResult {
  /** Resident memory while every execution waits, MB. */
  rssMB: number;
  /** Executions resumed (SendTaskSuccess to SUCCEEDED) per second of wall time. */
  resumePerSec: number;
  /** The process's CPU seconds per 1,000 executions resumed. */
  resumeCpuSecPer1k: number;
}

/** Runs the benchmark; returns the RSS while waiting (MB) and the resume rate. */
export async function runWaiting10k(options: WaitingOptions = {}): Promise<WaitingResult> {
  const count = options.count ?? (options.quick ? 200 : 10_000);
  const dir = options.inMemory ? undefined : mkdtempSync(join(tmpdir(), "sfn-waiting-"));
  const tokens: string[] = [];
  const runtime = createRuntime({
    ...(dir ? { dataDir: dir } : {}),
    functions: {
      "request-approval": async (event) => {
        tokens.push((event as { token: string }).token);
        return {};
      },
    },
  });
  try {
    const { stateMachineArn } = runtime.createStateMachine({
      name: "approvals",
      definition: JSON.stringify(definition),
    });
    const orders = Array.from({ length: count }, (_, i) => i);
    const arns: string[] = [];
    await inBatches(orders, 200, async (i) => {
      const { executionArn } = await runtime.startExecution({
        stateMachineArn,
        name: `order-${i}`,
        input: `{"order":${i}}`,
      });
      arns.push(executionArn);
    });
    await runtime.idle();
    if (tokens.length !== count) throw new Error(`expected ${count} tokens, got ${tokens.length}`);
    const waitingRss = rssMB();

    const started = performance.now();
    const cpu0 = process.cpuUsage();
    await inBatches(tokens, 200, (taskToken) =>
      runtime.sendTaskSuccess({ taskToken, output: '{"decision":"approved"}' }),
    );
    await runtime.idle();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const notSucceeded = arns.filter((executionArn) => {
      const done = runtime.describeExecution({ executionArn });
      return done.status !== "SUCCEEDED" || done.output !== '{"decision":"approved"}';
    });
    if (notSucceeded.length > 0) {
      throw new Error(
        `${notSucceeded.length} of ${count} resumed executions did not succeed (first: ${notSucceeded[0]})`,
      );
    }
    return {
      rssMB: Math.round(waitingRss * 10) / 10,
      resumePerSec: Math.round(count / seconds),
      // CPU ms per execution = CPU seconds per 1,000.
      resumeCpuSecPer1k: (cpu.user + cpu.system) / 1000 / count,
    };
  } finally {
    await runtime.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = Number(process.argv[2] ?? 10_000);
  const { rssMB, resumePerSec, resumeCpuSecPer1k } = await runWaiting10k({ count });
  console.log(`${count} executions waiting on task tokens: RSS ${rssMB} MB`);
  console.log(
    `resumed ${resumePerSec} executions/s, ${resumeCpuSecPer1k.toFixed(3)} CPU s per 1,000`,
  );
}
