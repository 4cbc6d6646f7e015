/**
 * Redriving a parent whose Distributed Map failed ("Redriving Map Runs" in AWS's guide), through
 * the wire API with the unchanged `@aws-sdk/client-sfn`: the Map Run keeps its ARN, only the
 * children that did not succeed run again (a STANDARD child is redriven under its own ARN, an
 * EXPRESS one started anew), the tolerated-failure threshold applies to the redrive's failures,
 * DescribeMapRun counts the redrives, and ResultWriter lists every item's result.
 */
import { CreateBucketCommand, GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  RedriveExecutionCommand,
  type SFNClient,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRuntime } from "../../local/sfn/index.ts";
import { serveOverWire, type WireApi } from "../support/sfn-wire.ts";
import { localS3Client } from "./s3map-corpus.ts";

const s3: S3Client = localS3Client(inject("s3Endpoint"));
const BUCKET = `mapredrive-${Date.now().toString(36)}`;
let api: WireApi;
let sfn: SFNClient;

/** Invocations of `work` per item id, by test; items in `failing` fail while `broken`. */
const calls = new Map<string, number>();
const failing = new Set<string>();
let broken = true;
/** Items whose call waits until the promise settles. */
const held = new Map<string, Promise<void>>();

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const runtime = createRuntime({
    store: "memory",
    functions: {
      work: async (event: unknown) => {
        const id = (event as { id: string }).id;
        calls.set(id, (calls.get(id) ?? 0) + 1);
        await held.get(id);
        if (broken && failing.has(id)) throw new Error(`item ${id} is broken`);
        return { done: id };
      },
    },
  });
  api = await serveOverWire(runtime);
  sfn = api.sfn;
});
afterAll(async () => {
  await api?.close();
  s3.destroy();
});

const get = async (key: string) =>
  (await (
    await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
  ).Body?.transformToString()) ?? "";

/** Six items, one child at a time (a set order), at most two failures tolerated. */
const machine = (name: string, executionType: "STANDARD" | "EXPRESS") => ({
  QueryLanguage: "JSONata",
  StartAt: "Each",
  States: {
    Each: {
      Type: "Map",
      Items: "{% $states.input.items %}",
      MaxConcurrency: 1,
      ToleratedFailureCount: 2,
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: executionType },
        StartAt: "Work",
        States: {
          Work: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Arguments: { FunctionName: "work", Payload: "{% $states.input %}" },
            Output: "{% $states.result.Payload %}",
            End: true,
          },
        },
      },
      ResultWriter: {
        Resource: "arn:aws:states:::s3:putObject",
        Arguments: { Bucket: BUCKET, Prefix: name },
      },
      End: true,
    },
  },
});

function items(prefix: string): { id: string }[] {
  return [0, 1, 2, 3, 4, 5].map((i) => ({ id: `${prefix}${i}` }));
}

/** Invocations per item, in item order. */
const counts = (prefix: string) => items(prefix).map(({ id }) => calls.get(id) ?? 0);

async function redrive(executionArn: string) {
  await sfn.send(new RedriveExecutionCommand({ executionArn }));
  return api.ended(executionArn);
}

async function until(ready: () => Promise<boolean>): Promise<void> {
  while (!(await ready())) await new Promise((r) => setTimeout(r, 10));
}

async function mapRunOf(executionArn: string): Promise<string> {
  const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn }));
  expect(mapRuns).toHaveLength(1); // a redrive does not start another Map Run
  return mapRuns?.[0]?.mapRunArn as string;
}

describe("RedriveExecution of a failed Distributed Map", () => {
  for (const type of ["STANDARD", "EXPRESS"] as const) {
    it(`${type} children: reruns only the children that did not succeed, in the same Map Run, until it succeeds; the manifest lists every item`, async () => {
      const p = `${type[0]}-`;
      broken = true;
      for (const i of [1, 3, 4]) failing.add(`${p}${i}`);
      const name = `redrive-${type.toLowerCase()}`;
      const executionArn = await api.start(name, machine(name, type), { items: items(p) });

      // Items 1, 3 and 4 fail: the third failure is past ToleratedFailureCount 2, and item 5
      // never starts.
      const first = await api.ended(executionArn);
      expect(first.status).toBe("FAILED");
      expect(first.error).toBe("States.ExceedToleratedFailureThreshold");
      expect(counts(p)).toEqual([1, 1, 1, 1, 1, 0]);
      const mapRunArn = await mapRunOf(executionArn);
      const failed = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      expect(failed).toMatchObject({
        status: "FAILED",
        redriveCount: 0,
        executionCounts: { succeeded: 2, failed: 3, pending: 1, total: 6, pendingRedrive: 0 },
      });
      expect(failed.redriveDate).toBeUndefined();
      const started = await sfn.send(new ListExecutionsCommand({ mapRunArn }));
      const childArns = (started.executions ?? []).map((e) => e.executionArn).sort();
      expect(childArns).toHaveLength(5); // item 5 never started

      // Redriven while the items are still broken: the three fail again (the threshold counts
      // the redrive's failures), the two that succeeded do not run again.
      const second = await redrive(executionArn);
      expect(second.status).toBe("FAILED");
      expect(counts(p)).toEqual([1, 2, 1, 2, 2, 0]);
      expect(await mapRunOf(executionArn)).toBe(mapRunArn);
      const again = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      expect(again).toMatchObject({ status: "FAILED", redriveCount: 1 });
      expect(again.redriveDate).toBeInstanceOf(Date);

      // Fixed and redriven again, item 1 held: while it runs, 3 and 4 wait to be redriven.
      broken = false;
      let release = () => {};
      held.set(`${p}1`, new Promise<void>((r) => (release = r)));
      await sfn.send(new RedriveExecutionCommand({ executionArn }));
      await until(async () => calls.get(`${p}1`) === 3);
      const midway = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      expect(midway).toMatchObject({
        status: "RUNNING",
        redriveCount: 2,
        executionCounts: { running: 1, succeeded: 2, failed: 0, pendingRedrive: 2, pending: 3 },
        itemCounts: { running: 1, pendingRedrive: 2 },
      });
      expect(midway.stopDate).toBeUndefined();
      const waiting = await sfn.send(
        new ListExecutionsCommand({ mapRunArn, statusFilter: "PENDING_REDRIVE" }),
      );
      expect(waiting.executions?.map((e) => e.status)).toEqual([
        "PENDING_REDRIVE",
        "PENDING_REDRIVE",
      ]);
      release();

      // The three failed children and the one never started ran once each; the execution
      // succeeds.
      const third = await api.ended(executionArn);
      expect(third.status).toBe("SUCCEEDED");
      expect(counts(p)).toEqual([1, 3, 1, 3, 3, 1]);
      expect(await mapRunOf(executionArn)).toBe(mapRunArn);
      const done = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      expect(done).toMatchObject({
        mapRunArn,
        executionArn,
        status: "SUCCEEDED",
        redriveCount: 2,
        executionCounts: {
          succeeded: 6,
          failed: 0,
          aborted: 0,
          pending: 0,
          running: 0,
          total: 6,
          pendingRedrive: 0,
          failuresNotRedrivable: 0,
          resultsWritten: 6,
        },
        itemCounts: { succeeded: 6, failed: 0, total: 6, pendingRedrive: 0, resultsWritten: 6 },
      });
      expect(done.redriveDate?.getTime()).toBeGreaterThanOrEqual(
        again.redriveDate?.getTime() ?? Number.POSITIVE_INFINITY,
      );

      // The parent's history says which Map Run each redrive redrove.
      const { events } = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
      );
      const redriven = (events ?? []).filter((e) => e.type === "MapRunRedriven");
      expect(redriven.map((e) => e.mapRunRedrivenEventDetails)).toEqual([
        { mapRunArn, redriveCount: 1 },
        { mapRunArn, redriveCount: 2 },
      ]);
      expect((events ?? []).filter((e) => e.type === "MapRunStarted")).toHaveLength(1);

      // ResultWriter: every item's result, the kept successes and the rerun ones.
      const runId = mapRunArn.split(":").pop();
      expect(JSON.parse(third.output ?? "null")).toEqual({
        MapRunArn: mapRunArn,
        ResultWriterDetails: { Bucket: BUCKET, Key: `${name}/${runId}/manifest.json` },
      });
      const manifest = JSON.parse(await get(`${name}/${runId}/manifest.json`));
      expect(manifest.ResultFiles.FAILED).toEqual([]);
      expect(manifest.ResultFiles.PENDING).toEqual([]);
      const results: { Output: string; Status: string }[] = [];
      for (const f of manifest.ResultFiles.SUCCEEDED as { Key: string }[]) {
        results.push(...JSON.parse(await get(f.Key)));
      }
      expect(results.every((r) => r.Status === "SUCCEEDED")).toBe(true);
      expect(results.map((r) => JSON.parse(r.Output).done).sort()).toEqual(
        items(p).map((i) => i.id),
      );

      // The children: redriven under their ARN (twice for those that kept failing), STANDARD
      // ones from the state they failed in, EXPRESS ones from their first state.
      const { executions } = await sfn.send(new ListExecutionsCommand({ mapRunArn }));
      expect(executions).toHaveLength(6);
      expect(executions?.every((e) => e.status === "SUCCEEDED")).toBe(true);
      if (type === "STANDARD") {
        const redriveCounts: number[] = [];
        for (const e of executions ?? []) {
          const d = await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
          redriveCounts.push(d.redriveCount ?? 0);
        }
        expect(redriveCounts.sort()).toEqual([0, 0, 0, 2, 2, 2]);
      }
      const redrivenChildren = await sfn.send(
        new ListExecutionsCommand({ mapRunArn, redriveFilter: "REDRIVEN" }),
      );
      expect(redrivenChildren.executions?.map((e) => e.redriveCount)).toEqual([2, 2, 2]);
      // Every child kept its ARN through the redrives.
      expect((executions ?? []).map((e) => e.executionArn)).toEqual(
        expect.arrayContaining(childArns),
      );
    });
  }
});
