/**
 * The local SES: `aws-ses-v2-local`'s Express server run in this process, bound to 127.0.0.1
 * explicitly (its default is every interface). Mail sent through `@aws-sdk/client-sesv2` (or v1)
 * with `AWS_ENDPOINT_URL_SES` pointing here lands in its in-memory store — the local outbox.
 *
 * The outbox is read over the server's own `GET /store` route rather than by importing its store
 * module, so any process that knows the endpoint (a Vitest worker, the dashboard's API) sees the
 * same mail as the process that started the server.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EmulatorStartError } from "./errors.ts";

/** One captured email, as the dashboard's outbox shows it. */
export interface Mail {
  /** SES message id. */
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** When it was sent, ISO 8601 (SES local records whole seconds). */
  at: string;
}

/**
 * A mail as the outbox contract shows it (contracts.md, `GET /api/outbox` and `outbox list
 * --json`): every field but the sender, which is always the platform's own.
 */
export function outboxView({ id, to, subject, text, html, at }: Mail): Omit<Mail, "from"> {
  return { id, to, subject, text, html, at };
}

export interface SesLocalOptions {
  /** TCP port; 0 or omitted picks a free one. */
  port?: number;
  /** Only loopback is allowed: the outbox holds sign-in links. */
  host?: "127.0.0.1";
}

export interface SesLocal {
  /** e.g. `http://127.0.0.1:40123` — use as `AWS_ENDPOINT_URL_SES`. */
  endpoint: string;
  /** Every mail sent so far, oldest first. */
  outbox(): Promise<Mail[]>;
  /** Empties the outbox. */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the SES-compatible server in this process. */
export async function startSesLocal(options: SesLocalOptions = {}): Promise<SesLocal> {
  const host = options.host ?? "127.0.0.1";
  if (host !== "127.0.0.1") {
    throw new TypeError(`host must be "127.0.0.1" (the outbox holds sign-in links), got ${host}`);
  }
  // The package is CommonJS with `exports.default`; depending on the loader the server factory
  // arrives as the default import or as its `default` property.
  const mod = (await import("aws-ses-v2-local")) as unknown as {
    default: ((c: { host: string; port: number }) => Promise<Server>) | { default: unknown };
  };
  const factory = (typeof mod.default === "function" ? mod.default : mod.default.default) as (c: {
    host: string;
    port: number;
  }) => Promise<Server>;
  let server: Server;
  try {
    server = await factory({ host, port: options.port ?? 0 });
  } catch (cause) {
    throw new EmulatorStartError(`SES local did not start on ${host}:${options.port ?? 0}`, {
      cause,
    });
  }
  // A test run or `npm start` should end when its work ends, not because the outbox is listening.
  server.unref();
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    outbox: () => readOutbox(endpoint),
    clear: () => clearOutbox(endpoint),
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

/** Reads the outbox of the SES local server at `endpoint` (from any process). */
export async function readOutbox(endpoint: string): Promise<Mail[]> {
  const res = await fetch(`${endpoint}/store`);
  if (!res.ok) throw new EmulatorStartError(`SES local at ${endpoint} answered ${res.status}`);
  const { emails } = (await res.json()) as { emails: StoredEmail[] };
  return emails.map((e) => ({
    id: e.messageId,
    from: e.from,
    to: [...e.destination.to, ...e.destination.cc, ...e.destination.bcc],
    subject: e.subject,
    text: e.body.text ?? "",
    html: e.body.html ?? "",
    at: new Date(e.at * 1000).toISOString(),
  }));
}

/** Empties the outbox of the SES local server at `endpoint`. */
export async function clearOutbox(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/clear-store`, { method: "POST" });
  await res.body?.cancel();
}
