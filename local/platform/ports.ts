/**
 * Port helpers. Everything binds 127.0.0.1 only; a busy port the user asked for is an error that
 * names the port and the fix, and port 0 means "any free port".
 */
import { createServer } from "node:net";
import { PlatformStartError } from "./errors.ts";

/** A free TCP port on 127.0.0.1, for emulators that cannot be told to pick one themselves. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Resolves when `port` can be bound on 127.0.0.1; otherwise a one-line error saying what to do. */
export function ensurePortFree(port: number, flag = "--port"): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolveFree, reject) => {
    const server = createServer();
    server.once("error", (cause: NodeJS.ErrnoException) => {
      reject(
        new PlatformStartError(
          cause.code === "EADDRINUSE"
            ? `Port ${port} is already in use: stop what is using it or pass ${flag} <another port> (0 picks a free one)`
            : `Cannot listen on 127.0.0.1:${port} (${cause.code}): pass ${flag} <another port>`,
          { cause },
        ),
      );
    });
    server.listen(port, "127.0.0.1", () => server.close(() => resolveFree()));
  });
}
