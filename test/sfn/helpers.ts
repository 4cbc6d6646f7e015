/**
 * Shared arrange steps for the Step Functions runtime tests: a runtime on a virtual clock, its wire
 * API on a free loopback port, and an unchanged `@aws-sdk/client-sfn` pointed at it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRuntime, type FunctionMap, VirtualClock } from "../../local/sfn/index.ts";
import { serveOverWire, type WireApi } from "../support/sfn-wire.ts";

/** The wire API over a runtime on a virtual clock the test moves. */
export interface Harness extends WireApi {
  clock: VirtualClock;
}

export function tempDir(prefix = "sfn-"): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function harness(
  opts: {
    functions?: FunctionMap;
    dataDir?: string;
    clock?: VirtualClock;
    random?: () => number;
  } = {},
): Promise<Harness> {
  const clock = opts.clock ?? new VirtualClock(Date.UTC(2025, 0, 1));
  const runtime = createRuntime({
    clock,
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    functions: opts.functions ?? {},
    ...(opts.random ? { random: opts.random } : {}),
  });
  return { ...(await serveOverWire(runtime)), clock };
}
