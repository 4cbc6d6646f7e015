/**
 * Finding the processes a test started, by parentage, to signal exactly them: the JVM of a
 * DynamoDB Local (a child of its `sh` guard, itself a child of the platform). Linux `/proc` only.
 */
import { readdirSync, readFileSync } from "node:fs";

/** `[pid, ppid, command name]` of every process visible in /proc. */
function processes(): [number, number, string][] {
  const out: [number, number, string][] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split at the last ")".
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      out.push([Number(entry), ppid, comm]);
    } catch {
      // Gone while we looked.
    }
  }
  return out;
}

/** The pids of `root`'s descendants named `comm`. */
export function descendantsNamed(root: number, comm: string): number[] {
  const all = processes();
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift() as number;
    for (const [pid, ppid, name] of all) {
      if (ppid !== parent) continue;
      queue.push(pid);
      if (name === comm) found.push(pid);
    }
  }
  return found;
}

/** The one JVM below `root`, or an error naming what was found. */
export function jvmBelow(root: number): number {
  const jvms = descendantsNamed(root, "java");
  if (jvms.length !== 1)
    throw new Error(`expected one JVM below pid ${root}, found ${jvms.length}`);
  return jvms[0] as number;
}
