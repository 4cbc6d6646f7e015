/**
 * The audit ledger of full runs on the REAL local runtime: every event is in its request's chain,
 * an export (JSON Lines and CSV) verifies, and changing one byte of any line, deleting any entry
 * or swapping any two makes `verify` fail and name the entry — through the domain functions the
 * CLI uses, and once through `countersign approvals audit verify` itself.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chainLines,
  formatLines,
  type LedgerFormat,
  parseLedgerFile,
  Signer,
  verifyLedger,
} from "../../functions/approvals/index.ts";
import { decideByLink, linkFor } from "./flows.ts";
import { people, SIGNING_KEY } from "./harness.ts";
import { type World, world } from "./runtime.ts";

let w: World;
let exported: Record<LedgerFormat, string>;
const signer = new Signer(SIGNING_KEY);

beforeAll(async () => {
  w = await world();
  const who = people();
  const from = new Date(w.clock.now()).toISOString();
  // A 2-of-2 request with a decision form, approved; and a rejected one.
  const approved = await w.start({
    title: "Conference trip, 1,240.00 EUR",
    summary: [{ type: "money", label: "Amount", amount: 1240, currency: "EUR" }],
    requester: who.requester,
    approvers: [who.a, who.b],
    required: 2,
    decisionForm: [
      { name: "costCentre", label: "Cost centre", type: "choice", options: ["R&D", "Sales"] },
    ],
  });
  await decideByLink(w, await linkFor(who.a), "approve", { "form.costCentre": "R&D" });
  await w.clock.advance(60_000);
  await decideByLink(w, await linkFor(who.b), "approve", { comment: 'enjoy "it", really' });
  const rejected = await w.start({
    title: "Another one",
    requester: who.requester,
    approvers: [who.c],
  });
  await decideByLink(w, await linkFor(who.c), "reject", { comment: "no,\nnot now" });
  expect((await w.status(approved)).status).toBe("SUCCEEDED");
  expect((await w.status(rejected)).status).toBe("SUCCEEDED");

  const ledger = w.api.approvals.ledger;
  const lines = [];
  const to = new Date(w.clock.now()).toISOString();
  for (const id of await ledger.idsBetween(from, to)) {
    const { entries, head } = await ledger.read(id);
    lines.push(...chainLines(entries, head));
  }
  exported = { jsonl: formatLines(lines, "jsonl"), csv: formatLines(lines, "csv") };
});
afterAll(async () => {
  await w.close();
});

const verify = (text: string) => verifyLedger(parseLedgerFile(text), signer);

describe("the audit ledger", () => {
  it("holds every event of a full run, and its export verifies in both formats", () => {
    const types = parseLedgerFile(exported.jsonl).map(
      (l) => ("value" in l ? (l.value as { type?: string; kind: string }) : undefined)?.type,
    );
    for (const t of ["requested", "emailed", "viewed", "voted", "decided", "delivered"])
      expect(types).toContain(t);
    expect(types.filter((t) => t === "voted")).toHaveLength(3);
    for (const format of ["jsonl", "csv"] as const) {
      const report = verify(exported[format]);
      expect(report.problems, format).toEqual([]);
      expect(report).toMatchObject({ ok: true, requests: 2, signaturesChecked: true });
    }
  });

  for (const format of ["jsonl", "csv"] as const) {
    const rows = () => exported[format].trimEnd().split("\n");
    const offset = format === "csv" ? 1 : 0; // the CSV header
    /** The request id and sequence number a line holds, to check the problem names it. */
    const named = (lineIndex: number) => {
      const parsed = parseLedgerFile(exported[format]).find((p) => p.line === lineIndex + 1);
      return parsed && "value" in parsed
        ? (parsed.value as { approvalId: string; seq: number; kind: string })
        : undefined;
    };

    it(`${format}: changing one byte (every seventh of every line, each on its own) fails, naming that line or its entry`, () => {
      const all = rows();
      for (let i = offset; i < all.length; i++) {
        const row = all[i] as string;
        for (let at = 0; at < row.length; at += 7) {
          const c = row[at] as string;
          const swapped = /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : c === "a" ? "b" : "a";
          const edited = [...all];
          edited[i] = row.slice(0, at) + swapped + row.slice(at + 1);
          const report = verify(`${edited.join("\n")}\n`);
          const line = named(i);
          expect(report.ok, `line ${i + 1}, byte ${at}`).toBe(false);
          expect(
            report.problems.some(
              (p) => p.line === i + 1 || (p.approvalId === line?.approvalId && p.seq === line?.seq),
            ),
            `line ${i + 1}, byte ${at}: ${JSON.stringify(report.problems)}`,
          ).toBe(true);
        }
      }
    });

    it(`${format}: deleting any entry fails, naming the entry`, () => {
      const all = rows();
      for (let i = offset; i < all.length; i++) {
        const line = named(i);
        if (line?.kind !== "entry") continue;
        const report = verify(`${all.filter((_, j) => j !== i).join("\n")}\n`);
        expect(report.ok).toBe(false);
        expect(
          report.problems.some(
            (p) => p.approvalId === line.approvalId && p.message.includes(`entry ${line.seq}`),
          ),
          `deleting line ${i + 1}: ${JSON.stringify(report.problems)}`,
        ).toBe(true);
      }
    });

    it(`${format}: swapping any two entries of a chain fails, naming them`, () => {
      const all = rows();
      for (let i = offset; i < all.length - 1; i++) {
        const a = named(i);
        const b = named(i + 1);
        if (a?.kind !== "entry" || b?.kind !== "entry" || a.approvalId !== b.approvalId) continue;
        const edited = [...all];
        [edited[i], edited[i + 1]] = [edited[i + 1] as string, edited[i] as string];
        const report = verify(`${edited.join("\n")}\n`);
        expect(report.ok).toBe(false);
        expect(report.problems[0]?.message).toMatch(
          new RegExp(
            `line ${i + 1}: entry ${b.seq} \\(\\w+\\) of ${a.approvalId} is out of order: entry ${a.seq} should come first`,
          ),
        );
      }
    });
  }

  it("countersign approvals audit verify: OK for the export, names the entry for a tampered one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-audit-"));
    const good = join(dir, "ledger.jsonl");
    writeFileSync(good, exported.jsonl);
    const run = (file: string) =>
      promisify(execFile)(
        process.execPath,
        ["bin/countersign.mjs", "approvals", "audit", "verify", file, "--data-dir", dir],
        {
          env: { ...process.env, COUNTERSIGN_SIGNING_KEY: SIGNING_KEY },
        },
      ).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const ok = await run(good);
    expect(ok.stdout).toMatch(/^OK: 2 request\(s\), \d+ entries, chains intact, heads signed/);
    const bad = join(dir, "tampered.jsonl");
    writeFileSync(bad, exported.jsonl.replace('"decision":"reject"', '"decision":"approve"'));
    const failed = await run(bad);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /countersign: line \d+: entry \d+ \(voted\) of a\S+ was changed: its hash does not match its content/,
    );
  });
});
