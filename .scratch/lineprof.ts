// Line-level self time for functions matching a name, from a .cpuprofile
import { readFileSync } from "node:fs";
const prof = JSON.parse(readFileSync(process.argv[2]!, "utf8"));
const want = new Set(process.argv.slice(3));
const total = prof.samples.length;
const lines = new Map<string, number>();
for (const n of prof.nodes) {
  if (!want.has(n.callFrame.functionName)) continue;
  for (const t of n.positionTicks ?? []) {
    const k = `${n.callFrame.functionName} ${n.callFrame.url.split("/").slice(-2).join("/")}:${t.line}`;
    lines.set(k, (lines.get(k) ?? 0) + t.ticks);
  }
}
for (const [k, v] of [...lines].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((100 * v / total).toFixed(1).padStart(5) + "%", k);
