/**
 * Verifies an audit export: every entry's hash matches its content, each entry's `prev` is the
 * hash before it, sequence numbers run 1, 2, 3… with none missing or out of place, and the chain
 * ends at its head, whose signature the deployment's key made (checked when the key is given).
 * Each problem names the line and the entry (request id and sequence number) so an auditor can
 * find what was edited, removed or reordered.
 */
import * as z from "zod";
import { entryHash, GENESIS, headSignature, LEDGER_EVENT_TYPES } from "./ledger.ts";
import type { ParsedLine } from "./ledger-file.ts";
import type { Signer } from "./signing.ts";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const entrySchema = z.strictObject({
  kind: z.literal("entry"),
  approvalId: z.string().min(1),
  seq: z.number().int().positive(),
  type: z.enum(LEDGER_EVENT_TYPES),
  at: z.string(),
  actor: z.string(),
  channel: z.string(),
  data: z.record(z.string(), z.unknown()),
  prev: hex64,
  hash: hex64,
});
const headSchema = z.strictObject({
  kind: z.literal("head"),
  approvalId: z.string().min(1),
  seq: z.number().int().nonnegative(),
  hash: hex64,
  sig: z.string().min(1),
  createdAt: z.string(),
});
type Entry = z.output<typeof entrySchema> & { line: number };
type Head = z.output<typeof headSchema> & { line: number };

export interface VerifyProblem {
  line?: number;
  approvalId?: string;
  seq?: number;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  requests: number;
  entries: number;
  /** Whether head signatures were checked (a key was given). */
  signaturesChecked: boolean;
  problems: VerifyProblem[];
}

/** Checks parsed export lines; `signer` (the deployment's key) also checks each head's signature. */
export function verifyLedger(lines: ParsedLine[], signer?: Signer): VerifyReport {
  const problems: VerifyProblem[] = [];
  const chains = new Map<string, { entries: Entry[]; heads: Head[] }>();
  const chain = (id: string) => {
    const found = chains.get(id);
    if (found) return found;
    const c = { entries: [] as Entry[], heads: [] as Head[] };
    chains.set(id, c);
    return c;
  };
  let entries = 0;
  for (const parsed of lines) {
    if ("error" in parsed) {
      problems.push({ line: parsed.line, message: `line ${parsed.line} ${parsed.error}` });
      continue;
    }
    const kind = (parsed.value as { kind?: unknown })?.kind;
    const schema = kind === "head" ? headSchema : entrySchema;
    const ok = schema.safeParse(parsed.value);
    if (!ok.success) {
      const issue = ok.error.issues[0];
      problems.push({
        line: parsed.line,
        message: `line ${parsed.line} is not a ledger ${kind === "head" ? "head" : "entry"}: ${issue?.path.join(".") || "(line)"} ${issue?.message ?? ""}`,
      });
      continue;
    }
    if (ok.data.kind === "head")
      chain(ok.data.approvalId).heads.push({ ...ok.data, line: parsed.line });
    else {
      chain(ok.data.approvalId).entries.push({
        ...(ok.data as z.output<typeof entrySchema>),
        line: parsed.line,
      });
      entries++;
    }
  }
  for (const [id, c] of chains) problems.push(...verifyChain(id, c.entries, c.heads, signer));
  return {
    ok: problems.length === 0,
    requests: chains.size,
    entries,
    signaturesChecked: signer !== undefined,
    problems,
  };
}

function verifyChain(
  id: string,
  entries: Entry[],
  heads: Head[],
  signer?: Signer,
): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const at = (e: Entry) => `line ${e.line}: entry ${e.seq} (${e.type}) of ${id}`;
  let expected = 1;
  let prev = GENESIS;
  for (const [i, e] of entries.entries()) {
    const { line: _line, kind: _kind, hash, ...body } = e;
    if (entryHash(body as Parameters<typeof entryHash>[0]) !== hash) {
      problems.push({
        line: e.line,
        approvalId: id,
        seq: e.seq,
        message: `${at(e)} was changed: its hash does not match its content`,
      });
    } else if (e.seq !== expected) {
      const later = entries.slice(i + 1).some((x) => x.seq === expected);
      problems.push({
        line: e.line,
        approvalId: id,
        seq: e.seq,
        message: later
          ? `${at(e)} is out of order: entry ${expected} should come first`
          : `${at(e)} follows entry ${expected - 1}: entry ${expected} was removed`,
      });
    } else if (e.prev !== prev) {
      problems.push({
        line: e.line,
        approvalId: id,
        seq: e.seq,
        message: `${at(e)} does not follow the entry before it (its prev hash differs)`,
      });
    }
    if (problems.length > 0) return problems; // after the first break, the rest only repeats it
    expected = e.seq + 1;
    prev = hash;
  }
  const head = heads.at(-1);
  if (!head || heads.length > 1) {
    problems.push({
      approvalId: id,
      message: head
        ? `${id} has ${heads.length} heads`
        : `${id} has no signed head: the export is cut or its head line was removed`,
    });
    return problems;
  }
  if (signer && headSignature(signer, head) !== head.sig) {
    problems.push({
      line: head.line,
      approvalId: id,
      message: `line ${head.line}: the head of ${id} is not signed by this deployment's key (changed or forged)`,
    });
  } else if (head.seq !== expected - 1) {
    problems.push({
      line: head.line,
      approvalId: id,
      seq: expected,
      message:
        head.seq > expected - 1
          ? `entry ${expected}${head.seq > expected ? `–${head.seq}` : ""} of ${id} was removed: its signed head says ${head.seq} entries, the file has ${expected - 1}`
          : `line ${head.line}: the head of ${id} says ${head.seq} entries but the file has ${expected - 1}`,
    });
  } else if (head.hash !== prev) {
    problems.push({
      line: head.line,
      approvalId: id,
      message: `line ${head.line}: the head of ${id} does not match its last entry`,
    });
  }
  return problems;
}
