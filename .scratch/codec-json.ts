import type { HistoryEvent } from "../local/asl/types.ts";
export function encodeHistory(events: readonly HistoryEvent[]): string {
  return JSON.stringify(events);
}
