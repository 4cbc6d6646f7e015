/**
 * How a step's AWS history events are written in one SQLite record. Their bulk is payload text:
 * `input`, `output` and `parameters` hold JSON as strings (as on AWS); a state's output is usually
 * the next state's input, or that input with one field added. `JSON.stringify` of the events
 * would escape every quote of those texts again and write each of them whole; this format writes
 * each text once, unescaped, and a text that extends the one before as the added part only:
 *
 *     H3<skeleton JSON>\n<text><text>...
 *
 * The skeleton is `[firstId, firstTimestamp, event...]`, an event `[type, Δtimestamp]` or
 * `[type, Δtimestamp, detailsKey, details]`, then `previousEventId` when it is not `id - 1`. A
 * type, details key or state name is a negative number for one of AWS's names (`NAMES`), else a
 * JSON string the first time and then its number in the order of first appearance. In `details`,
 * a payload text is replaced by its number in the text list, under its key prefixed with `#`.
 * The most frequent events, a state entered or exited (`{name, input}` under
 * `stateEnteredEventDetails`, `{name, output}` under `stateExitedEventDetails`), are written
 * short: `[type, Δtimestamp, [name, text number]]`. A text is `<length>:<chars>`, or
 * `<kept>+<length>:<chars>`: the first `kept` characters of the text before it, then these.
 * Records of the format before (`H2`: no short events) and of the earlier layout (plain JSON
 * arrays of events) are read as well.
 */
import type { HistoryEvent } from "../../../asl/types.ts";

const MAGIC = "H3";
/** The format before this one: the same without short events. */
const MAGIC_H2 = "H2";
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
const NAME_CODES = new Map(NAMES.map((n, i) => [n, -1 - i]));

function isPayload(key: string): boolean {
  return key === "input" || key === "output" || key === "parameters";
}

/** A step's events as one record (see the module comment). */
export function encodeHistory(events: readonly HistoryEvent[]): string {
  const first = events[0];
  if (!first) return `${MAGIC}[0,0]\n`;
  const names = new Map<string, number>();
  const texts = new TextList();
  const t0 = first.timestamp;
  // Built as arrays and stringified once: V8's JSON.stringify beats piecewise concatenation.
  const skeleton: unknown[] = [first.id, t0];
  for (const e of events) {
    const short = shortForm(e);
    if (short !== undefined) {
      skeleton.push([
        name(names, e.type),
        e.timestamp - t0,
        [name(names, short.name), texts.ref(short.text)],
      ]);
      continue;
    }
    let key: string | undefined;
    for (const k in e) {
      if (k !== "id" && k !== "previousEventId" && k !== "timestamp" && k !== "type") key = k;
    }
    const details = key === undefined ? undefined : e[key];
    const encoded: unknown[] = [name(names, e.type), e.timestamp - t0];
    if (key === undefined || details === undefined) {
      if (e.previousEventId !== e.id - 1) encoded.push(null, null, e.previousEventId);
      skeleton.push(encoded);
      continue;
    }
    encoded.push(name(names, key), withTextRefs(details, texts));
    if (e.previousEventId !== e.id - 1) encoded.push(e.previousEventId);
    skeleton.push(encoded);
  }
  return `${MAGIC}${JSON.stringify(skeleton)}\n${texts.raw}`;
}

/** Details with their long payload texts replaced by text numbers (under `#key`). */
function withTextRefs(details: unknown, texts: TextList): unknown {
  if (details === null || typeof details !== "object" || Array.isArray(details)) return details;
  let out: Record<string, unknown> | undefined;
  for (const k in details) {
    const v = (details as Record<string, unknown>)[k];
    if (typeof v === "string" && v.length >= MIN_TEXT && isPayload(k)) {
      if (out === undefined) {
        // Keys before this one, as they are; this one and the rest in order below.
        out = {};
        for (const j in details) {
          if (j === k) break;
          out[j] = (details as Record<string, unknown>)[j];
        }
      }
      out[`#${k}`] = texts.ref(v);
    } else if (out !== undefined) out[k] = v;
  }
  return out ?? details;
}

/** The two short events: a state's details key and payload field, by the event type's ending. */
const ENTERED = { key: "stateEnteredEventDetails", field: "input" } as const;
const EXITED = { key: "stateExitedEventDetails", field: "output" } as const;

function shortShape(type: string): typeof ENTERED | typeof EXITED | undefined {
  if (type.endsWith("StateEntered")) return ENTERED;
  if (type.endsWith("StateExited")) return EXITED;
  return undefined;
}

/**
 * The state name and payload text of an event the short form holds exactly: a state entered or
 * exited, the one before it as previous event, nothing but `{name, input|output}` (in that
 * order, both strings) under the type's details key, and no other key.
 */
function shortForm(e: HistoryEvent): { name: string; text: string } | undefined {
  if (e.previousEventId !== e.id - 1) return undefined;
  const shape = shortShape(e.type);
  if (shape === undefined) return undefined;
  const details = e[shape.key] as Record<string, unknown> | undefined;
  if (details === null || typeof details !== "object") return undefined;
  const name = details.name;
  const text = details[shape.field];
  if (typeof name !== "string" || typeof text !== "string") return undefined;
  let i = 0;
  for (const k in details) {
    if (k !== (i === 0 ? "name" : shape.field) || ++i > 2) return undefined;
  }
  if (i !== 2) return undefined;
  i = 0;
  for (const _ in e) i++;
  return i === 5 ? { name, text } : undefined;
}

/** A type, key or state name: AWS's by code, another as itself the first time, then its number. */
function name(names: Map<string, number>, value: string): string | number {
  const code = NAME_CODES.get(value);
  if (code !== undefined) return code;
  const n = names.get(value);
  if (n !== undefined) return n;
  names.set(value, names.size);
  return value;
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

type Encoded = [
  string | number,
  number,
  (string | number | null | [string | number, number])?,
  unknown?,
  number?,
];

/** The events of a record written by `encodeHistory`, by the format before, or as plain JSON. */
export function decodeHistory(record: string): HistoryEvent[] {
  if (!record.startsWith(MAGIC) && !record.startsWith(MAGIC_H2)) {
    return JSON.parse(record) as HistoryEvent[];
  }
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
    const third = e[2];
    if (Array.isArray(third)) {
      const shape = shortShape(type) as typeof ENTERED | typeof EXITED;
      return {
        id,
        previousEventId: id - 1,
        timestamp: firstTime + e[1],
        type,
        [shape.key]: { name: nameOf(third[0]), [shape.field]: texts[third[1]] },
      };
    }
    const key = third === undefined || third === null ? undefined : nameOf(third);
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
