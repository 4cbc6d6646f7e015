/**
 * The corpora in `conformance/` are copies of the shared, AWS-recorded ones, listed with their
 * SHA-256 in `conformance/SHA256SUMS` (written by `scripts/refresh-corpora.sh`). The copy must
 * match that list in any clone, and while the shared folder sits beside the project
 * (`../shared/conformance`) the list must match it too, so the copy cannot drift.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPORA, CORPORA_ROOT } from "./corpora.ts";

const SHARED = resolve(import.meta.dirname, "../../../shared/conformance");
const REFRESH = "bash scripts/refresh-corpora.sh";

/** Every file under `dir` but the sums file, relative to it, with the SHA-256 of its bytes. */
function digest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (relative(dir, path) !== "SHA256SUMS") {
        out.set(relative(dir, path), createHash("sha256").update(readFileSync(path)).digest("hex"));
      }
    }
  };
  walk(dir);
  return out;
}

/** `conformance/SHA256SUMS` as a map of file → hash. */
function listed(): Map<string, string> {
  const text = readFileSync(join(CORPORA_ROOT, "SHA256SUMS"), "utf8");
  return new Map(
    text
      .trim()
      .split("\n")
      .map((line) => {
        const [hash, file] = line.split(/ {2}/) as [string, string];
        return [file, hash] as const;
      }),
  );
}

/** What differs between two file → hash maps, one line per file. */
function drift(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [file, hash] of expected) {
    if (!actual.has(file)) out.push(`missing ${file}`);
    else if (actual.get(file) !== hash) out.push(`differs ${file}`);
  }
  for (const file of actual.keys()) if (!expected.has(file)) out.push(`extra ${file}`);
  return out;
}

describe("the in-project corpora", () => {
  it("hold every corpus with its cases, and the README that gives their origin and licence", () => {
    expect(readFileSync(join(CORPORA_ROOT, "README.md"), "utf8")).toMatch(/Apache-2\.0/);
    for (const [name, dir] of Object.entries(CORPORA)) {
      const cases = readdirSync(dir).filter((f) => f.endsWith(".json") && !f.startsWith("_"));
      expect(cases.length, `${name} has cases`).toBeGreaterThan(20);
    }
  });

  it("are byte for byte the files conformance/SHA256SUMS lists", () => {
    expect(drift(listed(), digest(CORPORA_ROOT)), `restore them with: ${REFRESH}`).toEqual([]);
  });

  it("match ../shared/conformance when it is beside the project", () => {
    // A clone from anywhere has no shared folder: the sums above are then the whole check.
    if (!existsSync(SHARED)) return;
    expect(
      drift(digest(SHARED), listed()),
      `the copy drifted; refresh it with: ${REFRESH}`,
    ).toEqual([]);
  });
});
