/**
 * The local SES: `aws-ses-v2-local`'s Express server run in this process, bound to 127.0.0.1
 * explicitly (its default is every interface). Mail sent through `@aws-sdk/client-sesv2` (or v1)
 * with `AWS_ENDPOINT_URL_SES` pointing here lands in its in-memory store — the local outbox.
 *
 * The outbox is read over the server's own `GET /store` route rather than by importing its store
 * module, so any process that knows the endpoint (a Vitest worker, the dashboard's API) sees the
 * same mail as the process that started the server. With `outboxFile` (the local platform passes
 * one in its data directory) the outbox also survives a restart: every captured mail is appended
 * to that JSON-lines file and loaded back on the next start, so an approval email is still there
 * for an approval that is still pending.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
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
 * A mail as the outbox contract shows it (`GET /api/outbox` and `outbox list
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
  /** A JSON-lines file that keeps the outbox across restarts (one per process). */
  outboxFile?: string;
  /**
   * How many mails the file keeps when it is loaded on start (the oldest go first); every mail by
   * default.
   */
  keepMails?: number;
  /** Where a failed write to the outbox file is reported (default: console.error). */
  onError?: (message: string, error: unknown) => void;
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
  if (options.outboxFile) {
    keepOutboxIn(
      options.outboxFile,
      options.keepMails ?? Number.POSITIVE_INFINITY,
      options.onError ?? ((message, error) => console.error(message, error)),
    );
  }
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
    async clear() {
      await clearOutbox(endpoint);
      if (options.outboxFile) writeFileSync(options.outboxFile, "");
    },
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

/** The package's in-process store (CommonJS; its handlers call `saveEmail` through `exports`). */
interface SesStoreModule {
  saveEmail(email: StoredEmail): void;
  getStoreReadonly(): { emails: StoredEmail[] };
}

/** How long after a failed write to the outbox file the unsaved mails are tried again. */
const RETRY_MS = 5_000;

let keptIn: string | undefined;

/**
 * Loads the mails saved in `file` into the package's store and appends every new one to it.
 * The store is one per process, so there is one file per process too. A mail is in the store
 * (and the outbox) before it is written: a write that fails (a full disk) is reported and retried
 * with the next mail or after {@link RETRY_MS}, and never fails the send or the process.
 */
function keepOutboxIn(
  file: string,
  keepMails: number,
  onError: (message: string, error: unknown) => void,
): void {
  if (keptIn === file) return;
  if (keptIn) {
    throw new TypeError(`the outbox of this process is already kept in ${keptIn}, not ${file}`);
  }
  const store = createRequire(import.meta.url)("aws-ses-v2-local/dist/store.js") as SesStoreModule;
  const saved = existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as StoredEmail];
          } catch {
            // A line cut short by a crash mid-append: the mails before it are intact.
            return [];
          }
        })
    : [];
  const kept = saved.length > keepMails ? saved.slice(saved.length - keepMails) : saved;
  if (kept.length < saved.length) {
    writeFileSync(file, kept.map((m) => `${JSON.stringify(m)}\n`).join(""));
  }
  store.getStoreReadonly().emails.push(...kept);
  let unsaved = "";
  let retry: NodeJS.Timeout | undefined;
  const write = () => {
    clearTimeout(retry);
    retry = undefined;
    try {
      appendFileSync(file, unsaved);
      unsaved = "";
    } catch (error) {
      onError(
        `The outbox file ${file} could not be written; its mails stay in memory and the write is retried.`,
        error,
      );
      retry = setTimeout(write, RETRY_MS);
      retry.unref();
    }
  };
  const save = store.saveEmail;
  store.saveEmail = (email) => {
    save(email);
    unsaved += `${JSON.stringify(email)}\n`;
    write();
  };
  keptIn = file;
}

/**
 * Reads the outbox of the SES local server at `endpoint` (from any process). `since` keeps only
 * mail sent in or after that second (the server records whole seconds): a reader polling a busy
 * outbox, such as the saga fault runs, then fetches what is new rather than every mail of the run.
 */
export async function readOutbox(
  endpoint: string,
  options: { since?: Date } = {},
): Promise<Mail[]> {
  const query =
    options.since === undefined ? "" : `?since=${Math.floor(options.since.getTime() / 1000)}`;
  const res = await fetch(`${endpoint}/store${query}`);
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
