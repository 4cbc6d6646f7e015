/**
 * End to end, as an operator meets it: `countersign sfn serve` on a store whose WAL header was
 * damaged after a crash refuses to start (exit 1, the file and the recovery commands on stderr);
 * `--repair` says what it found and kept, starts, and serves every execution of the crashed run.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { DescribeExecutionCommand, SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, expect, it } from "vitest";
import { VirtualClock } from "../sfn/clock.ts";
import { createRuntime, type SfnRuntime } from "../sfn/runtime.ts";
import type { SqliteStore } from "../sfn/store/sqlite/sqlite-store.ts";

const BIN = resolve(import.meta.dirname, "../../bin/countersign.mjs");
const root = mkdtempSync(join(tmpdir(), "countersign-sfn-repair-"));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill("SIGTERM");
  rmSync(root, { recursive: true, force: true });
});

it("serve refuses a damaged store, and --repair recovers it and starts", async () => {
  // A run that crashed (its files copied while it was open) with executions before and after a checkpoint.
  const live = join(root, "live");
  const runtime: SfnRuntime = createRuntime({ dataDir: live, clock: new VirtualClock(0) });
  const { stateMachineArn } = runtime.createStateMachine({
    name: "done",
    definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }),
  });
  const arns: string[] = [];
  for (let i = 0; i < 5; i++)
    arns.push((await runtime.startExecution({ stateMachineArn })).executionArn);
  (runtime as unknown as { store: SqliteStore }).store.checkpoint();
  for (let i = 0; i < 5; i++)
    arns.push((await runtime.startExecution({ stateMachineArn })).executionArn);
  const dir = join(root, "crashed");
  mkdirSync(dir);
  for (const f of ["sfn.sqlite", "sfn.sqlite-wal", "sfn.sqlite.state"]) {
    copyFileSync(join(live, f), join(dir, f));
  }
  await runtime.close();
  const wal = openSync(join(dir, "sfn.sqlite-wal"), "r+");
  const b = Buffer.alloc(1);
  readSync(wal, b, 0, 1, 5);
  b[0] = (b[0] as number) ^ 0xff;
  writeSync(wal, b, 0, 1, 5);
  closeSync(wal);

  const refused = await promisify(execFile)(
    process.execPath,
    [BIN, "sfn", "serve", "--port", "0", "--data-dir", dir],
    { timeout: 60_000 },
  ).then(
    () => ({ code: 0, stderr: "" }),
    (e: { code: number; stderr: string }) => e,
  );
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(
    `${join(dir, "sfn.sqlite-wal")} the WAL header fails its checksum`,
  );
  expect(refused.stderr).toContain(`countersign sfn serve --data-dir ${dir} --repair`);

  child = spawn(
    process.execPath,
    [BIN, "sfn", "serve", "--port", "0", "--data-dir", dir, "--repair"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const proc = child;
  let out = "";
  const url = await new Promise<string>((resolveUrl, reject) => {
    proc.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Step Functions API: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolveUrl(m[1] as string);
    });
    proc.on("exit", (code) => reject(new Error(`serve --repair exited with ${code}: ${out}`)));
  });
  expect(out).toContain("Repaired: kept everything consistent.");
  expect(out).toContain("Kept: 1 state machines, 10 executions.");
  expect(out).toContain("Lost: nothing.");
  const sfn = new SFNClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  for (const executionArn of arns) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d.status).toBe("SUCCEEDED");
  }
  sfn.destroy();
  const exited = new Promise<number | null>((r) => proc.on("exit", (code) => r(code)));
  proc.kill("SIGTERM");
  expect(await exited).toBe(0);
  child = undefined;
});
