/**
 * What the two Map Run crash workers (`map-run-crash-worker.ts`, `map-run-redrive-crash-worker.ts`)
 * share: the child workflow (a `work` Lambda task over its batch), the record `work` keeps of each
 * batch it processed, and the Map Run an execution started.
 */
import { appendFileSync } from "node:fs";
import type { SfnRuntime } from "../../local/sfn/index.ts";

/** One batch `work` processed: which process, which child execution, which item ids. */
export interface WorkLine {
  pid: number;
  child: string;
  ids: number[];
}

/** A Distributed Map's ItemProcessor: the child calls `work` with its name and batch. */
export const workProcessor = {
  ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
  StartAt: "Work",
  States: {
    Work: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: {
        FunctionName: "work",
        Payload: { "child.$": "$$.Execution.Name", "items.$": "$.Items" },
      },
      OutputPath: "$.Payload",
      End: true,
    },
  },
};

/** Appends the batch to `log` (JSON Lines) and answers as `work` does: the ids' sum. */
export function recordWork(log: string, child: string, ids: number[]): { sum: number } {
  const line: WorkLine = { pid: process.pid, child, ids };
  appendFileSync(log, `${JSON.stringify(line)}\n`);
  return { sum: ids.reduce((a, b) => a + b, 0) };
}

/** The ARN of the (first) Map Run `executionArn` started. */
export function firstMapRunArn(runtime: SfnRuntime, executionArn: string): string {
  const runs = runtime.listMapRuns({ executionArn }).mapRuns as { mapRunArn: string }[];
  return runs[0]?.mapRunArn as string;
}
