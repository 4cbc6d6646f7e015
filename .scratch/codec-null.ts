import type { HistoryEvent } from "../local/asl/types.ts";
export function encodeHistory(events: readonly HistoryEvent[]): string {
  let sk = "H3[";
  for (let idx = 0; idx < events.length; idx++) {
    const e = events[idx] as HistoryEvent;
    sk += `,[${e.id},${e.timestamp}]`;
  }
  return sk;
}
