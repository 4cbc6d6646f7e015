/**
 * What the approvals domain needs from the outside world, injected so that tests run it against
 * the local emulators with a virtual clock, and Lambda runs it against AWS — with no branch on which.
 */
import { randomBytes } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ApprovalSettings } from "./policy.ts";

/** Structured logging; Powertools' Logger fits this shape. Never pass tokens or keys. */
export interface Log {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

export interface ApprovalDeps {
  db: DynamoDBDocumentClient;
  table: string;
  sfn: SFNClient;
  ses: SESv2Client;
  /** The From address of every email. */
  sender: string;
  /** HMAC key (≥ 32 chars) for links, sessions and CSRF tokens. */
  signingKey: string;
  /**
   * Public base URL for links in emails (e.g. `https://approvals.example.com`), or a function
   * returning it (a server that learns its port after listening).
   */
  baseUrl?: string | (() => string | undefined);
  clock: () => Date;
  settings: ApprovalSettings;
  log?: Log;
  /** Separates this deployment's sweep index when several share one table (tests). */
  scope?: string;
  /** Random URL-safe string of `bytes` bytes (injected so tests may fix it). */
  random?: (bytes: number) => string;
}

/** Default randomness: the CSPRNG. */
export const cryptoRandom = (bytes: number) => randomBytes(bytes).toString("base64url");

/**
 * Default logger: Powertools' Logger, one JSON line per event (level, message, service, timestamp,
 * and on Lambda the request id), as CloudWatch Logs Insights reads it.
 */
const powertools = new Logger({ serviceName: "countersign-approvals" });
export const jsonLog: Log = {
  info: (message, attributes = {}) => powertools.info(message, attributes),
  warn: (message, attributes = {}) => powertools.warn(message, attributes),
  error: (message, attributes = {}) => powertools.error(message, attributes),
};
