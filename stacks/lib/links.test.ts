/**
 * Links against the code that reads them: a handler that reads a resource its function is not
 * linked to fails on AWS only (the variable is absent there), so it is caught here instead by
 * following each handler's relative imports and collecting its `resource("...")` reads.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { reachableFiles } from "../../test/support/source-graph.ts";
import {
  FUNCTION_NAMES,
  FUNCTIONS,
  type FunctionName,
  LINK_NAMES,
  STATE_MACHINES,
} from "../topology.ts";

/**
 * Reads that happen only on a code path some functions never take, so their link is not needed
 * everywhere the file is imported. Each names the functions that do take the path.
 */
const LAZY_READS: { file: string; resource: string; usedBy: FunctionName[] }[] = [
  // sesMailer().send reads the sender when a mail is sent; only notifyCustomer sends one.
  { file: "functions/orders/notifications.ts", resource: "Email", usedBy: ["NotifyCustomer"] },
];

const root = path.resolve(import.meta.dirname, "../..");
const links = (fn: FunctionName): readonly string[] => FUNCTIONS[fn].links;

/**
 * Resource names read unconditionally by `file` and everything it imports relatively (tests
 * excluded). Reads written as `optional(() => resource("X"))` or `try { return resource("X") }`
 * tolerate a missing link; {@link LAZY_READS} lists the rest that are path-dependent.
 */
function resourcesRead(file: string): Set<string> {
  const out = new Set<string>();
  const reads =
    /(optional\(\s*\(\)\s*=>\s*|try\s*\{\s*return\s+)?\bresource\(\s*"([A-Za-z]+)"\s*\)/g;
  for (const f of reachableFiles(file)) {
    for (const m of readFileSync(f, "utf8").matchAll(reads)) {
      const lazy = LAZY_READS.some((l) => f.endsWith(l.file) && l.resource === m[2]);
      if (!m[1] && !lazy) out.add(m[2]!);
    }
  }
  return out;
}

describe("function links", () => {
  it("match the resource names functions/shared/resources.ts validates", () => {
    const source = readFileSync(path.join(root, "functions/shared/resources.ts"), "utf8");
    const block = source.slice(source.indexOf("const schemas"), source.indexOf("} as const"));
    const declared = [...block.matchAll(/^ {2}([A-Z][A-Za-z]+): z\./gm)].map((m) => m[1]);
    expect(declared.sort()).toEqual([...LINK_NAMES].sort());
  });

  it("match the resources sst-env.d.ts declares", () => {
    const source = readFileSync(path.join(root, "sst-env.d.ts"), "utf8");
    const declared = [...source.matchAll(/^ {4}([A-Z][A-Za-z]+): \{/gm)].map((m) => m[1]);
    expect(declared.sort()).toEqual([...LINK_NAMES].sort());
  });

  for (const name of FUNCTION_NAMES) {
    const file = FUNCTIONS[name].handler;
    it(`cover what ${name} (${file}) reads`, () => {
      expect(existsSync(path.join(root, file)), `${file} is missing`).toBe(true);
      const read = [...resourcesRead(path.join(root, file))].sort();
      const missing = read.filter((r) => !links(name).includes(r));
      expect(missing, `add to FUNCTIONS.${name}.links in stacks/topology.ts`).toEqual([]);
    });
  }

  it("link every function that takes a lazily read resource's path", () => {
    for (const lazy of LAZY_READS) {
      for (const fn of lazy.usedBy) expect(links(fn)).toContain(lazy.resource);
    }
  });

  it("never give a saga task the saga (a dependency cycle), nor the key unless it mails links", () => {
    for (const name of STATE_MACHINES.flatMap((m) => m.tasks)) {
      expect(links(name)).not.toContain("OrderSaga");
      if (name !== "RequestApproval") expect(links(name)).not.toContain("SigningKey");
    }
  });
});
