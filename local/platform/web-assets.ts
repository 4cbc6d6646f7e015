/**
 * The dashboard's static files (`web/dist`), served by the local server next to the API. `npm ci`
 * builds them (scripts/prepare.mjs); a start that finds none builds them while the JVM boots.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { isApiRoute } from "../../stacks/topology.ts";
import { PlatformStartError } from "./errors.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

/**
 * Headers on every response of the dashboard's files, errors included: the dashboard may run its
 * own scripts and styles (`'self'`), nothing else may frame it or read it cross-origin, and it
 * sends no referrer (links it shows carry signatures).
 */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-resource-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
};

/** A plain-text error answer of the static server, with the security headers. */
export function staticError(status: 400 | 404 | 500, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: {
      ...STATIC_SECURITY_HEADERS,
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
    },
  });
}

/**
 * `web/dist`, built now (in a child process, without blocking this one) when the install did not
 * build it (scripts/prepare.mjs); the build's output goes to `log`.
 */
export async function ensureWebBuild(root: string, log: (line: string) => void): Promise<string> {
  const dist = join(root, "web", "dist");
  if (existsSync(join(dist, "index.html"))) return dist;
  log("Building the dashboard (the install did not)…");
  const child = spawn(process.execPath, [join(root, "scripts", "build-web.mjs")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  const [code] = (await once(child, "close")) as [number | null];
  for (const line of output.trimEnd().split("\n")) if (line) log(line);
  if (code !== 0 || !existsSync(join(dist, "index.html"))) {
    const last = output.trim().split("\n").at(-1) ?? `exit ${code}`;
    throw new PlatformStartError(
      `Building the dashboard failed (${last}): run \`npm run build:web\` to see why`,
    );
  }
  return dist;
}

/**
 * The dashboard file for a GET: an asset when it exists, else `index.html` so client-side routes
 * load the app. `undefined` for paths that are not the dashboard's; 400 for a path that is not
 * valid percent-encoding.
 */
export function webResponse(dist: string, pathname: string): Response | undefined {
  // The same split as the router on AWS (stacks/api.ts).
  if (isApiRoute(pathname)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return staticError(400, "Bad request: the path is not valid percent-encoding.");
  }
  const safe = normalize(decoded).replace(/^(\.\.[/\\])+/, "");
  let file = join(dist, safe);
  if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) {
    file = join(dist, "index.html");
  }
  const type = TYPES[extname(file)] ?? "application/octet-stream";
  const immutable = file.includes(`${join(dist, "assets")}`);
  return new Response(readFileSync(file), {
    headers: {
      ...STATIC_SECURITY_HEADERS,
      "content-type": type,
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    },
  });
}
