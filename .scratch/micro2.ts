import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { openSqliteStore } from "../local/sfn/store/sqlite/sqlite-store.ts";
import { runToCompletion } from "../local/sfn/index.ts";
import { compile } from "../local/asl/index.ts";
import { passChain, passChainInput } from "../bench/definitions.ts";
const store = openSqliteStore(mkdtempSync(join(tmpdir(), "m2-")));
const r = await runToCompletion(compile(passChain(10)), passChainInput);
const history = r.history;
const def = JSON.stringify(passChain(10));
const N = 100000, B = 50;
const mode = process.argv[2] ?? "full";
const c0 = process.cpuUsage();
let k = 0;
for (let i = 0; i < N; i += B) {
  store.transaction(() => {
    for (let j = 0; j < B; j++, k++) {
      const name = `0190${(1e12 + k).toString(16)}-aaaa-7bbb-8ccc-${(1e11 + k).toString(16)}`;
      const row = { id: 0, arn: `arn:aws:states:us-east-1:123456789012:execution:bench-passChain:${name}`, name, machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:bench-passChain", machine_type: "STANDARD" as const, definition: def, role_arn: "arn:aws:iam::123456789012:role/countersign-local", input: '{"orderId":"bench-1","total":42.5}', status: "SUCCEEDED" as const, output: '{"x":1}', error: null, cause: null, start_ms: 1704067200000 + k, stop_ms: 1704067200000 + k, seed: "0123456789abcdef0123456789abcdef", version_arn: null, invoking: 0 as const };
      store.executions.insert(row, mode === "nohist" ? [] : history);
    }
  });
}
const c = process.cpuUsage(c0);
console.log(mode, "cpu µs/insert", ((c.user + c.system) / N).toFixed(2));
