import type { HistoryEvent } from "../local/asl/types.ts";
const MAGIC = "H3";
const MIN_TEXT = 16;
const NAMES = ["ExecutionStarted","ExecutionSucceeded","PassStateEntered","PassStateExited","stateEnteredEventDetails","stateExitedEventDetails","executionStartedEventDetails","executionSucceededEventDetails","TaskStateEntered","TaskStateExited","TaskScheduled","TaskStarted","TaskSucceeded","taskScheduledEventDetails","taskStartedEventDetails","taskSucceededEventDetails","LambdaFunctionScheduled","LambdaFunctionStarted","LambdaFunctionSucceeded","lambdaFunctionScheduledEventDetails","lambdaFunctionSucceededEventDetails"];
const NAME_CODES = new Map(NAMES.map((n, i) => [n, String(-1 - i)]));
const nameJsonCache = new Map<string, string>();
function quoted(v: string): string {
  let t = nameJsonCache.get(v);
  if (t === undefined) { t = JSON.stringify(v); if (nameJsonCache.size < 4096) nameJsonCache.set(v, t); }
  return t;
}
function name(names: string[], value: string): string {
  const code = NAME_CODES.get(value);
  if (code !== undefined) return code;
  for (let i = 0; i < names.length; i++) if (names[i] === value) return String(i);
  names.push(value);
  return quoted(value);
}
const ENTERED = { key: "stateEnteredEventDetails", field: "input" } as const;
const EXITED = { key: "stateExitedEventDetails", field: "output" } as const;
function isPayload(key: string): boolean { return key === "input" || key === "output" || key === "parameters"; }
export function encodeHistory(events: readonly HistoryEvent[]): string {
  const first = events[0];
  if (!first) return `${MAGIC}[0,0]\n`;
  const names: string[] = [];
  const texts: string[] = [];
  let raw = "";
  const ref = (text: string): number => {
    for (let i = texts.length - 1; i >= 0 && i >= texts.length - 3; i--) if (texts[i] === text) return i;
    const last = texts[texts.length - 1];
    const kept = last !== undefined && last.length > MIN_TEXT ? last.length - 1 : 0;
    if (false) raw += `${kept}+${text.length - kept}:${text.slice(kept)}`;
    else raw += `${text.length}:${text}`;
    return texts.push(text) - 1;
  };
  const t0 = first.timestamp;
  let sk = `${MAGIC}[${first.id},${t0}`;
  for (let idx = 0; idx < events.length; idx++) {
    const e = events[idx] as HistoryEvent;
    const type = e.type;
    const shape = type.endsWith("StateEntered") ? ENTERED : type.endsWith("StateExited") ? EXITED : undefined;
    if (shape !== undefined && e.previousEventId === e.id - 1) {
      const d = e[shape.key] as Record<string, unknown> | undefined;
      if (d && typeof d === "object") {
        const nm = d.name; const tx = d[shape.field];
        if (typeof nm === "string" && typeof tx === "string") {
          const dk = Object.keys(d);
          if (dk.length === 2 && dk[0] === "name" && Object.keys(e).length === 5) {
            sk += `,[${name(names, type)},${e.timestamp - t0},[${name(names, nm)},${ref(tx)}]]`;
            continue;
          }
        }
      }
    }
    sk += `,[${name(names, type)},${e.timestamp - t0}`;
    let key: string | undefined;
    for (const k in e) if (k !== "id" && k !== "previousEventId" && k !== "timestamp" && k !== "type") key = k;
    const details = key === undefined ? undefined : e[key];
    const prev = e.previousEventId === e.id - 1 ? "" : `,${e.previousEventId}`;
    if (key === undefined || details === undefined) { sk += prev ? `,null,null${prev}]` : "]"; continue; }
    sk += `,${name(names, key)},`;
    if (details === null || typeof details !== "object" || Array.isArray(details)) { sk += `${JSON.stringify(details)}${prev}]`; continue; }
    let json = "{";
    for (const k in details) {
      const v = (details as Record<string, unknown>)[k];
      if (v === undefined) continue;
      if (json.length > 1) json += ",";
      if (typeof v !== "string" || v.length < MIN_TEXT || !isPayload(k)) { json += `${quoted(k)}:${typeof v === "string" ? (v.length < 64 ? quoted(v) : JSON.stringify(v)) : JSON.stringify(v)}`; continue; }
      json += `"#${k}":${ref(v)}`;
    }
    sk += `${json}}${prev}]`;
  }
  return `${sk}]\n${raw}`;
}
