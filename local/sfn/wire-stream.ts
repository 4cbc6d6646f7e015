/**
 * A long list answered in pieces: GetExecutionHistory returns up to 1,000 events a page, each
 * carrying its state's input or output (up to 256 KiB), so a page can be megabytes of JSON.
 * Serialised in one go it holds the event loop (and every other caller) for as long as that takes
 * and the whole text in memory; here the list is serialised a few events at a time, each piece
 * written (waiting for the socket to drain) before the next, with a turn of the event loop in
 * between, so other requests are answered meanwhile. The body is the same JSON `send` would write
 * (chunked transfer encoding instead of a Content-Length).
 */
import type { ServerResponse } from "node:http";
import { setImmediate as nextTurn } from "node:timers/promises";

/** Pieces are cut after this many characters of JSON (or at the end of the list). */
const PIECE_CHARS = 128 * 1024;

/** JSON of the wire API: dates as epoch seconds (fractional), as AWS JSON 1.0 timestamps are. */
export function wireJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

/** Writes `body` (whose member `key` is the long list) in pieces; resolves once written. */
export async function sendList(
  res: ServerResponse,
  body: Record<string, unknown>,
  key: string,
  headers: Record<string, string>,
): Promise<void> {
  const { [key]: list, ...rest } = body;
  const items = Array.isArray(list) ? list : [];
  res.writeHead(200, headers);
  let piece = `{${JSON.stringify(key)}:[`;
  for (let i = 0; i < items.length; i++) {
    piece += (i > 0 ? "," : "") + wireJson(items[i]);
    if (piece.length >= PIECE_CHARS) {
      if (!(await write(res, piece))) return;
      piece = "";
      await nextTurn();
    }
  }
  const tail = wireJson(rest);
  piece += tail === "{}" ? "]}" : `],${tail.slice(1)}`;
  res.end(piece);
}

/** Writes `text`; false when the client went away (nothing more to write). */
async function write(res: ServerResponse, text: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(text)) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
  return !res.destroyed;
}
