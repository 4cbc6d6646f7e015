/**
 * How a step's AWS history events are written in one SQLite record. Their bulk is payload text:
 * `input`, `output` and `parameters` hold JSON as strings (as on AWS); a state's output is usually
 * the next state's input, or that input with one field added. `JSON.stringify` of the events
 * would escape every quote of those texts again and write each of them whole; this format writes
 * each text once, unescaped, and a text that extends the one before as the added part only:
 *
 *     H2<skeleton JSON>\n<text><text>...
 *
 * The skeleton is `[firstId, firstTimestamp, event...]`, an event `[type, Δtimestamp]` or
 * `[type, Δtimestamp, detailsKey, details]`, then `previousEventId` when it is not `id - 1`. A
 * type or details key is a negative number for one of AWS's (`NAMES`), else a JSON string the
 * first time and then its number in the order of first appearance. In `details`, a payload text is replaced by its number in the text list, under its
 * key prefixed with `#`. A text is `<length>:<chars>`, or `<kept>+<length>:<chars>`: the first
 * `kept` characters of the text before it, then these. Records written before this format (the
 * earlier layout's) are plain JSON arrays of events.
 */
import type { HistoryEvent } from "../local/asl/types.ts";

const MAGIC = "H2";
/** Shorter texts stay inline in the details: a reference would not save anything. */
const MIN_TEXT = 16;
/**
 * AWS's history event types and details keys (`@aws-sdk/client-sfn`'s HistoryEventType and
 * HistoryEvent members), written as -1, -2, ...: records hold these numbers, so this list only
 * ever grows at its end.
 */
const NAMES: readonly string[] = [
  "ActivityFailed",
  "ActivityScheduleFailed",
  "ActivityScheduled",
  "ActivityStarted",
  "ActivitySucceeded",
  "ActivityTimedOut",
  "ChoiceStateEntered",
  "ChoiceStateExited",
  "EvaluationFailed",
  "ExecutionAborted",
  "ExecutionFailed",
  "ExecutionRedriven",
  "ExecutionStarted",
  "ExecutionSucceeded",
  "ExecutionTimedOut",
  "FailStateEntered",
  "LambdaFunctionFailed",
  "LambdaFunctionScheduleFailed",
  "LambdaFunctionScheduled",
  "LambdaFunctionStartFailed",
  "LambdaFunctionStarted",
  "LambdaFunctionSucceeded",
  "LambdaFunctionTimedOut",
  "MapIterationAborted",
  "MapIterationFailed",
  "MapIterationStarted",
  "MapIterationSucceeded",
  "MapRunAborted",
  "MapRunFailed",
  "MapRunRedriven",
  "MapRunStarted",
  "MapRunSucceeded",
  "MapStateAborted",
  "MapStateEntered",
  "MapStateExited",
  "MapStateFailed",
  "MapStateStarted",
  "MapStateSucceeded",
  "ParallelStateAborted",
  "ParallelStateEntered",
  "ParallelStateExited",
  "ParallelStateFailed",
  "ParallelStateStarted",
  "ParallelStateSucceeded",
  "PassStateEntered",
  "PassStateExited",
  "SucceedStateEntered",
  "SucceedStateExited",
  "TaskFailed",
  "TaskScheduled",
  "TaskStartFailed",
  "TaskStarted",
  "TaskStateAborted",
  "TaskStateEntered",
  "TaskStateExited",
  "TaskSubmitFailed",
  "TaskSubmitted",
  "TaskSucceeded",
  "TaskTimedOut",
  "WaitStateAborted",
  "WaitStateEntered",
  "WaitStateExited",
  "activityFailedEventDetails",
  "activityScheduleFailedEventDetails",
  "activityScheduledEventDetails",
  "activityStartedEventDetails",
  "activitySucceededEventDetails",
  "activityTimedOutEventDetails",
  "taskFailedEventDetails",
  "taskScheduledEventDetails",
  "taskStartFailedEventDetails",
  "taskStartedEventDetails",
  "taskSubmitFailedEventDetails",
  "taskSubmittedEventDetails",
  "taskSucceededEventDetails",
  "taskTimedOutEventDetails",
  "executionFailedEventDetails",
  "executionStartedEventDetails",
  "executionSucceededEventDetails",
  "executionAbortedEventDetails",
  "executionTimedOutEventDetails",
  "executionRedrivenEventDetails",
  "mapStateStartedEventDetails",
  "mapIterationStartedEventDetails",
  "mapIterationSucceededEventDetails",
  "mapIterationFailedEventDetails",
  "mapIterationAbortedEventDetails",
  "lambdaFunctionFailedEventDetails",
  "lambdaFunctionScheduleFailedEventDetails",
  "lambdaFunctionScheduledEventDetails",
  "lambdaFunctionStartFailedEventDetails",
  "lambdaFunctionSucceededEventDetails",
  "lambdaFunctionTimedOutEventDetails",
  "stateEnteredEventDetails",
  "stateExitedEventDetails",
  "mapRunStartedEventDetails",
  "mapRunFailedEventDetails",
  "mapRunRedrivenEventDetails",
  "evaluationFailedEventDetails",
];
const NAME_CODES = new Map(NAMES.map((n, i) => [n, String(-1 - i)]));

/** `"key":` for detail keys seen (they are the engine's few identifiers). */
const keyText = new Map<string, string>();

function jsonKey(k: string): string {
  let text = keyText.get(k);
  if (text === undefined) {
    text = `${JSON.stringify(k)}:`;
    if (keyText.size < 1024) keyText.set(k, text);
  }
  return text;
}

function isPayload(key: string): boolean {
  return key === "input" || key === "output" || key === "parameters";
}

/** A string JSON can hold as it is: no quote, backslash, control character or surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters JSON must escape
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** A detail value as JSON, without `JSON.stringify`'s call cost for the common plain cases. */
function valueJson(v: unknown): string {
  if (typeof v === "string") return PLAIN.test(v) ? `"${v}"` : JSON.stringify(v);
  if (typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) return String(v);
  return JSON.stringify(v);
}

/** A step's events as one record (see the module comment). */
export function encodeHistory(events: readonly HistoryEvent[]): string {
  const first = events[0];
  if (!first) return `${MAGIC}[0,0]\n`;
  const names = new Map<string, number>();
  const texts = new TextList();
  let skeleton = `${MAGIC}[${first.id},${first.timestamp}`;
  for (const e of events) {
    skeleton += `,[${name(names, e.type)},${e.timestamp - first.timestamp}`;
    let key: string | undefined;
    for (const k in e) {
      if (k !== "id" && k !== "previousEventId" && k !== "timestamp" && k !== "type") key = k;
    }
    const details = key === undefined ? undefined : e[key];
    const prev = e.previousEventId === e.id - 1 ? "" : `,${e.previousEventId}`;
    if (key === undefined || details === undefined) {
      skeleton += prev ? `,null,null${prev}]` : "]";
      continue;
    }
    skeleton += `,${name(names, key)},`;
    if (details === null || typeof details !== "object" || Array.isArray(details)) {
      skeleton += `${JSON.stringify(details)}${prev}]`;
      continue;
    }
    let json = "{";
    for (const k in details) {
      const v = (details as Record<string, unknown>)[k];
      if (v === undefined) continue;
      if (json.length > 1) json += ",";
      if (typeof v !== "string" || v.length < MIN_TEXT || !isPayload(k)) {
        json += jsonKey(k) + valueJson(v);
        continue;
      }
      json += `"#${k}":${texts.ref(v)}`;
    }
    skeleton += `${json}}${prev}]`;
  }
  return `${skeleton}]\n${texts.raw}`;
}

/** A type or key: AWS's by code, another by its JSON text the first time, then its number. */
function name(names: Map<string, number>, value: string): string {
  const code = NAME_CODES.get(value);
  if (code !== undefined) return code;
  const n = names.get(value);
  if (n !== undefined) return String(n);
  names.set(value, names.size);
  return JSON.stringify(value);
}

/** The payload texts of a record, each written once (see the module comment). */
class TextList {
  private readonly texts: string[] = [];
  raw = "";

  /** The number of `text`, adding it (whole, or as what it adds to the text before) if new. */
  ref(text: string): number {
    const texts = this.texts;
    // The same string as one of the last few: a pointer compare when it is the same object.
    for (let i = texts.length - 1; i >= 0 && i >= texts.length - 3; i--) {
      if (texts[i] === text) return i;
    }
    const last = texts[texts.length - 1];
    // An object with fields added at its end: all but the last text's closing brace is shared.
    // (lastIndexOf at 0, not startsWith: V8's startsWith is many times slower here.)
    const kept = last !== undefined && last.length > MIN_TEXT ? last.length - 1 : 0;
    if (last && kept > 0 && text.length > kept && text.lastIndexOf(last.slice(0, kept), 0) === 0) {
      this.raw += `${kept}+${text.length - kept}:${text.slice(kept)}`;
    } else this.raw += `${text.length}:${text}`;
    return texts.push(text) - 1;
  }
}

type Encoded = [string | number, number, (string | number | null)?, unknown?, number?];

/** The events of a record written by `encodeHistory`, or by the earlier plain-JSON format. */
export function decodeHistory(record: string): HistoryEvent[] {
  if (!record.startsWith(MAGIC)) return JSON.parse(record) as HistoryEvent[];
  const newline = record.indexOf("\n");
  const [firstId, firstTime, ...encoded] = JSON.parse(record.slice(MAGIC.length, newline)) as [
    number,
    number,
    ...Encoded[],
  ];
  const texts: string[] = [];
  for (let at = newline + 1; at < record.length; ) {
    const colon = record.indexOf(":", at);
    const head = record.slice(at, colon);
    const plus = head.indexOf("+");
    const length = Number(plus < 0 ? head : head.slice(plus + 1));
    const chars = record.slice(colon + 1, colon + 1 + length);
    texts.push(
      plus < 0
        ? chars
        : (texts[texts.length - 1] ?? "").slice(0, Number(head.slice(0, plus))) + chars,
    );
    at = colon + 1 + length;
  }
  const names: string[] = [];
  const nameOf = (v: string | number): string => {
    if (typeof v === "number") return (v < 0 ? NAMES[-1 - v] : names[v]) as string;
    names.push(v);
    return v;
  };
  return encoded.map((e, i) => {
    const id = firstId + i;
    const type = nameOf(e[0]);
    const key = e[2] === undefined || e[2] === null ? undefined : nameOf(e[2]);
    const event: HistoryEvent = {
      id,
      previousEventId: e[4] ?? id - 1,
      timestamp: firstTime + e[1],
      type,
    };
    if (key !== undefined) event[key] = restore(e[3], texts);
    return event;
  });
}

function restore(details: unknown, texts: string[]): unknown {
  if (details === null || typeof details !== "object" || Array.isArray(details)) return details;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (k.startsWith("#")) out[k.slice(1)] = texts[v as number];
    else out[k] = v;
  }
  return out;
}
