/**
 * The API on Node (`@hono/node-server`), for the local platform and tests. Listens on loopback;
 * port 0 picks a free port. `close()` stops it.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type CountersignApi, createApi } from "./app.ts";
import type { ApiDeps } from "./deps.ts";

export interface RunningApi extends CountersignApi {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  close(): Promise<void>;
}

export async function serveApi(
  deps: ApiDeps,
  options: { port?: number; hostname?: string } = {},
): Promise<RunningApi> {
  const api = createApi(deps);
  const hostname = options.hostname ?? "127.0.0.1";
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: api.app.fetch, port: options.port ?? 0, hostname }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    ...api,
    url: `http://${hostname}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      ),
  };
}
