/**
 * How a step's AWS history events are written in one SQLite record. Their bulk is payload text:
 * `input`, `output` and `parameters` hold JSON as strings (as on AWS), and a state's output is
 * usually the next state's input. `JSON.stringify` of the events would escape every quote of those
 * texts again, and write each one twice; this format writes each distinct text once, unescaped:
 *
 *     H1<skeleton JSON>\n<length>:<text><length>:<text>...
 *
 * The skeleton is `[firstId, firstTimestamp, events]` with each event `[type, Δtimestamp]` or
 * `[type, Δtimestamp, detailsKey, details]` (+ `previousEventId` when it is not `id - 1`); in
 * `details` a payload text is replaced by its number in the text list, under its key prefixed
 * with U+0001. Records written before this format are plain JSON arrays of events.
 */
import type { HistoryEvent } from "../../../asl/types.ts";

const MAGIC = "H1";
const REF = "\u0001";
/** Detail fields that carry JSON texts (a payload), as the engine writes them. */
const PAYLOAD = new Set(["input", "output", "parameters"]);
/** Shorter texts stay inline: a reference would not save anything. */
const MIN_TEXT = 16;
const BASE_KEYS = new Set(["id", "previousEventId", "timestamp", "type"]);

type Encoded =
  | [string, number]
  | [string, number, string, unknown]
  | [string, number, string | null, unknown, number];

/** A step's events as one record (see the module comment). */
export function encodeHistory(events: readonly HistoryEvent[]): string {
  const first = events[0];
  if (!first) return `${MAGIC}[0,0,[]]\n`;
  const texts: string[] = [];
  let raw = "";
  const add = (text: string): number => {
    // A state's output is the next state's input, often the very same string: compare the last
    // few texts (a pointer compare when identical, a length compare when not).
    for (let i = texts.length - 1; i >= 0 && i >= texts.length - 3; i--) {
      if (texts[i] === text) return i;
    }
    texts.push(text);
    raw += `${text.length}:${text}`;
    return texts.length - 1;
  };
  const out: Encoded[] = [];
  for (const e of events) {
    let key: string | undefined;
    let details: unknown;
    for (const k in e) {
      if (!BASE_KEYS.has(k)) {
        key = k;
        details = e[k];
      }
    }
    const dt = e.timestamp - first.timestamp;
    const prev = e.previousEventId === e.id - 1 ? undefined : e.previousEventId;
    if (key === undefined || details === undefined) {
      out.push(prev === undefined ? [e.type, dt] : [e.type, dt, null, null, prev]);
      continue;
    }
    let encoded = details;
    if (details !== null && typeof details === "object" && !Array.isArray(details)) {
      const copy: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(details)) {
        if (typeof v === "string" && v.length >= MIN_TEXT && PAYLOAD.has(k)) copy[REF + k] = add(v);
        else copy[k] = v;
      }
      encoded = copy;
    }
    out.push(prev === undefined ? [e.type, dt, key, encoded] : [e.type, dt, key, encoded, prev]);
  }
  return `${MAGIC}${JSON.stringify([first.id, first.timestamp, out])}\n${raw}`;
}

/** The events of a record written by `encodeHistory`, or by the earlier plain-JSON format. */
export function decodeHistory(record: string): HistoryEvent[] {
  if (!record.startsWith(MAGIC)) return JSON.parse(record) as HistoryEvent[];
  const newline = record.indexOf("\n");
  const [firstId, firstTime, encoded] = JSON.parse(record.slice(MAGIC.length, newline)) as [
    number,
    number,
    Encoded[],
  ];
  const texts: string[] = [];
  for (let at = newline + 1; at < record.length; ) {
    const colon = record.indexOf(":", at);
    const length = Number(record.slice(at, colon));
    texts.push(record.slice(colon + 1, colon + 1 + length));
    at = colon + 1 + length;
  }
  return encoded.map((e, i) => {
    const id = firstId + i;
    const event: HistoryEvent = {
      id,
      previousEventId: e.length === 5 ? e[4] : id - 1,
      timestamp: firstTime + e[1],
      type: e[0],
    };
    const key = e[2];
    if (typeof key === "string") event[key] = restore(e[3], texts);
    return event;
  });
}

function restore(details: unknown, texts: string[]): unknown {
  if (details === null || typeof details !== "object" || Array.isArray(details)) return details;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (k.startsWith(REF)) out[k.slice(1)] = texts[v as number];
    else out[k] = v;
  }
  return out;
}
