/**
 * Where the AWS-recorded corpora live in the project: `conformance/<name>/`, copied unchanged from
 * the shared conformance folder (`corpus-copy.test.ts` checks the copy while that folder exists).
 * Tests read the corpora only through these paths, so a fresh clone needs nothing beside it.
 */
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../conformance");

/** Absolute paths of the four corpora, by the folder name they have upstream. */
export const CORPORA = {
  /** Pure states (561 cases). */
  pure: resolve(ROOT, "aws-recorded"),
  /** Lambda tasks, task tokens, nested executions, API errors. */
  tasks: resolve(ROOT, "aws-recorded-tasks"),
  /** TestState API calls. */
  teststate: resolve(ROOT, "aws-recorded-teststate"),
  /** Distributed Map over S3 and aws-sdk:s3 tasks, with their fixtures. */
  s3map: resolve(ROOT, "aws-recorded-s3map"),
} as const;

/** The project's copy of the corpora (the folder holding the four). */
export const CORPORA_ROOT = ROOT;
