/**
 * `countersign approvals audit <id> [--json]`, `approvals audit export --from --to [--format
 * jsonl|csv]` and `approvals audit verify <file>`: the approvals ledger (functions/approvals/
 * ledger.ts) read from the local platform's or a stage's table, exported, and checked. Verify
 * needs no platform: it reads the file, and checks the heads' signatures with the deployment's
 * key when it has one (the local data directory's, or COUNTERSIGN_SIGNING_KEY for a stage).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import type { LedgerFormat, Signer } from "../../functions/approvals/index.ts";
import { signingKey } from "../platform/data-dir.ts";
import { CliInputError } from "./errors.ts";
import { print } from "./output.ts";
import { connect, localOptions, type TargetOptions, targetOptions } from "./target.ts";

/** The ledger's code, loaded when a command uses it (not for `--help` or other commands). */
const ledgerLib = () => import("../../functions/approvals/index.ts");

function isoTime(value: string, option: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new CliInputError(`${option} must be a date or time such as 2026-12-01, got "${value}"`);
  return new Date(t).toISOString();
}

/** The deployment's key for head signatures, when this machine has it. */
async function verifyKey(o: TargetOptions): Promise<Signer | undefined> {
  const { Signer } = await ledgerLib();
  const fromEnv = process.env.COUNTERSIGN_SIGNING_KEY;
  if (fromEnv) return new Signer(fromEnv);
  if (o.stage === undefined && existsSync(join(o.dataDir, "signing-key")))
    return new Signer(signingKey(o.dataDir));
  return undefined;
}

export function registerAuditCommands(approvals: Command): void {
  const audit = approvals
    .command("audit")
    .description("a request's audit ledger; export and verify ledgers")
    .argument("[id]", "approval id: print its ledger");
  targetOptions(audit).action(async (id: string | undefined, o: TargetOptions) => {
    if (!id) throw new CliInputError("name an approval id, or use `audit export` / `audit verify`");
    const client = await connect(audit, o);
    const { Ledger } = await ledgerLib();
    const { entries, head } = await new Ledger(client.db, client.table, undefined).read(id);
    if (entries.length === 0)
      throw new CliInputError(`No ledger for ${id}: list approvals with \`approvals list\``);
    if (o.json) return print({ entries, head: head ?? null });
    for (const e of entries) {
      const data = Object.entries(e.data)
        .filter(
          ([k, v]) =>
            k !== "shown" && v !== null && !(typeof v === "object" && Object.keys(v).length === 0),
        )
        .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join(" ");
      console.log(
        `${String(e.seq).padStart(3)}  ${e.at}  ${e.type.padEnd(9)}  ${e.actor}  (${e.channel})  ${data}`,
      );
    }
    if (head)
      console.log(`head: ${head.seq} entries, last hash ${head.hash.slice(0, 16)}…, signed`);
  });

  const exporter = audit
    .command("export")
    .description("every ledger of the requests made in a period, as JSON Lines or CSV")
    .requiredOption("--from <time>", "start of the period (ISO date or time)")
    .requiredOption("--to <time>", "end of the period (ISO date or time)")
    .addOption(
      new Option("--format <format>", "jsonl or csv").choices(["jsonl", "csv"]).default("jsonl"),
    )
    .option("--out <file>", "write to this file instead of standard output");
  targetOptions(exporter).action(
    async (o: TargetOptions & { from: string; to: string; format: LedgerFormat; out?: string }) => {
      const from = isoTime(o.from, "--from");
      const to = isoTime(o.to, "--to");
      const client = await connect(exporter, o);
      const { Ledger, chainLines, formatLines } = await ledgerLib();
      const ledger = new Ledger(client.db, client.table, undefined);
      const lines = [];
      for (const id of await ledger.idsBetween(from, to)) {
        const { entries, head } = await ledger.read(id);
        lines.push(...chainLines(entries, head));
      }
      const text = formatLines(lines, o.format);
      if (o.out) writeFileSync(o.out, text);
      else process.stdout.write(text);
    },
  );

  const verify = audit
    .command("verify")
    .description("check an export: names any entry edited, removed or reordered")
    .argument("<file>", "a file from `audit export`");
  localOptions(verify).action(async (file: string, o: TargetOptions) => {
    if (!existsSync(file)) throw new CliInputError(`No file ${file}`);
    const { verifyLedger, parseLedgerFile } = await ledgerLib();
    const report = verifyLedger(parseLedgerFile(readFileSync(file, "utf8")), await verifyKey(o));
    if (o.json) print(report);
    else if (report.ok)
      console.log(
        `OK: ${report.requests} request(s), ${report.entries} entries, chains intact${report.signaturesChecked ? ", heads signed by this deployment's key" : " (heads' signatures not checked: no key here; set COUNTERSIGN_SIGNING_KEY)"}`,
      );
    else for (const p of report.problems) console.error(`countersign: ${p.message}`);
    if (!report.ok) process.exitCode = 1;
  });
}
