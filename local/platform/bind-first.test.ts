/**
 * bind-first: the API's port is held from the moment it is chosen (no "free port, closed, bound
 * later" window), answers 503 until its handler is attached, and a busy port is a clear error.
 */
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { bindHttp, lateBound } from "./bind-first.ts";
import { PlatformStartError } from "./errors.ts";

describe("bindHttp", () => {
  it("holds the port it picked: a second listener on it fails, requests get 503 until attached", async () => {
    const bound = await bindHttp(0);
    try {
      // The port is ours now: nobody else can take it between the choice and the serving.
      const other = createServer();
      const code = await new Promise<string | undefined>((resolve) => {
        other.once("error", (e: NodeJS.ErrnoException) => resolve(e.code));
        other.listen(bound.port, "127.0.0.1", () => other.close(() => resolve(undefined)));
      });
      expect(code).toBe("EADDRINUSE");

      const before = await fetch(bound.url);
      expect(before.status).toBe(503);
      expect(before.headers.get("retry-after")).toBe("1");
      await before.text();

      bound.attach((_req, res) => res.end("ready"));
      const after = await fetch(bound.url);
      expect(await after.text()).toBe("ready");
    } finally {
      await bound.close();
    }
  });

  it("a busy port the user asked for names the port and the fix", async () => {
    const first = await bindHttp(0);
    try {
      const error = await bindHttp(first.port).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlatformStartError);
      expect((error as Error).message).toBe(
        `Port ${first.port} is already in use: stop what is using it or pass --port <another port> (0 picks a free one)`,
      );
    } finally {
      await first.close();
    }
  });
});

describe("lateBound", () => {
  it("throws the not-ready error before bind and forwards (with `this`) after", () => {
    const late = lateBound<{ n: number; get(): number }>(() => new Error("not yet"));
    expect(() => late.proxy.get()).toThrow("not yet");
    late.bind({
      n: 7,
      get() {
        return this.n;
      },
    });
    expect(late.proxy.get()).toBe(7);
  });
});
