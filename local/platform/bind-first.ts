/**
 * Bind first, wire later. The platform's servers take their ports before anything is built from
 * those ports: the API's socket is listening (on the user's port, or on one the kernel picks for
 * port 0) before the emulators start, and the Step Functions API's before the functions' wiring
 * names its URL. Asking for "a free port", closing it and binding it later left a window in which
 * another process could take it — a test run saw `npm start` die of an unhandled EADDRINUSE.
 *
 * A server bound early answers 503 (the API) or ThrottlingException (Step Functions, which the AWS
 * SDK retries) until its handler is attached; nothing is told its URL before then anyway.
 */
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PlatformStartError } from "./errors.ts";

/** An HTTP server listening on 127.0.0.1 whose request handler comes later. */
export interface BoundHttp {
  port: number;
  url: string;
  /** Starts serving requests with `listener` (before that: 503 with Retry-After). */
  attach(listener: RequestListener): void;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:`port` now (0: a port the kernel picks, which nobody else can hold). A busy
 * port the user asked for is a {@link PlatformStartError} naming it and the fix; errors after the
 * bind are logged, never an unhandled 'error' event.
 */
export async function bindHttp(
  port: number,
  options: { flag?: string; onError?: (error: Error) => void } = {},
): Promise<BoundHttp> {
  const flag = options.flag ?? "--port";
  let handler: RequestListener | undefined;
  const server: Server = createServer((req, res) => {
    if (handler) return void handler(req, res);
    res.writeHead(503, { "retry-after": "1", "content-type": "text/plain; charset=utf-8" });
    res.end("Countersign is starting; try again in a moment.\n");
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (cause: NodeJS.ErrnoException) =>
      reject(
        new PlatformStartError(
          cause.code === "EADDRINUSE"
            ? `Port ${port} is already in use: stop what is using it or pass ${flag} <another port> (0 picks a free one)`
            : `Cannot listen on 127.0.0.1:${port} (${cause.code ?? cause.message}): pass ${flag} <another port>`,
          { cause },
        ),
      );
    server.once("error", failed);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", failed);
      resolve();
    });
  });
  server.on("error", options.onError ?? ((error) => console.error("API server error:", error)));
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    attach(listener) {
      handler = listener;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A stand-in for an object made later (the Step Functions runtime, which needs the wiring, which
 * needs the port its API server already holds): property reads go to the object once `bind`
 * gave it, and throw `notReady()` before.
 */
export function lateBound<T extends object>(
  notReady: () => Error,
): { proxy: T; bind(target: T): void } {
  let target: T | undefined;
  const proxy = new Proxy({} as T, {
    get(_, key) {
      if (!target) throw notReady();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    proxy,
    bind(t) {
      target = t;
    },
  };
}
