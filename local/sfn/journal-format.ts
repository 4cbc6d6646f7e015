/**
 * Types for `journal-format.cjs`, the journal format and fold statements that the store and the
 * fold worker share (the worker is plain CommonJS so it starts without tsx).
 */
import { createRequire } from "node:module";
import type { ExecutionStatus } from "../asl/types.ts";

/** Columns of a journal record `x`, in order (an array: a third of the bytes of an object). */
export type JournalRow = [
  arn: string,
  name: string,
  machineArn: string,
  machineType: "STANDARD" | "EXPRESS",
  definitionHash: string,
  roleArn: string,
  input: string,
  status: ExecutionStatus,
  output: string | null,
  error: string | null,
  cause: string | null,
  startMs: number,
  stopMs: number | null,
  seed: string,
  nextSeq: number,
  historyCount: number,
  versionArn: string | null,
  historyReplay: number,
];

/** One journal line: its number, the row's columns, then the definition text when new. */
export type JournalRecord = [seq: number, ...row: JournalRow, definition?: string];
interface JournalFormat {
  CONNECTION_PRAGMAS: readonly string[];
  CTL: { readonly APPENDED: 0; readonly FOLDED: 1; readonly GEN: 2; readonly STOP: 3 };
  FOLD_EXECUTION_SQL: string;
  INSERT_DEFINITION_SQL: string;
  /** The inverse of the store's `journalLine` (without its terminator); undefined when torn. */
  parseJournalLine(line: string): JournalRecord | undefined;
}

export const {
  CONNECTION_PRAGMAS,
  CTL,
  FOLD_EXECUTION_SQL,
  INSERT_DEFINITION_SQL,
  parseJournalLine,
} = createRequire(import.meta.url)("./journal-format.cjs") as JournalFormat;
