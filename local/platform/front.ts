/**
 * The local server's one request handler, in front of both halves of the origin: the dashboard's
 * files for GET and HEAD outside the API's prefixes (as the router does on AWS), the API for the
 * rest. Whatever escapes both — a bug, a file that vanished — becomes a 500 that still carries the
 * security headers, rather than the bare 500 the Node adapter would send.
 */
import { staticError, webResponse } from "./web-assets.ts";

export type FetchHandler = (request: Request) => Response | Promise<Response>;

export function frontHandler(
  web: string,
  api: FetchHandler,
): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      if (request.method === "GET" || request.method === "HEAD") {
        const file = webResponse(web, new URL(request.url).pathname);
        if (file) return file;
      }
      return await api(request);
    } catch (error) {
      console.error("request failed:", request.method, new URL(request.url).pathname, error);
      return staticError(500, "Something went wrong on our side. Try again.");
    }
  };
}
