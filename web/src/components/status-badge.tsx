/** A status shown as a coloured pill with a symbol and a text label (never colour alone). */
import type { StateStatus } from "../graph/state-status.ts";

export type Tone = "success" | "danger" | "warning" | "info" | "waiting" | "neutral";

const SYMBOL: Record<Tone, string> = {
  success: "✓",
  danger: "✕",
  warning: "↺",
  info: "●",
  waiting: "❚❚",
  neutral: "○",
};

export const STATE_TONE: Record<StateStatus, Tone> = {
  succeeded: "success",
  failed: "danger",
  caught: "warning",
  running: "info",
  waiting: "waiting",
  "not-reached": "neutral",
};

/** Tone of an execution, approval or order status word. */
export function toneOf(status: string): Tone {
  const s = status.toUpperCase();
  if (/FAIL|REJECT|ABORT|TIMED_OUT|DECLIN|CANCEL|ERROR/.test(s)) return "danger";
  if (/EXPIRE/.test(s)) return "warning";
  if (/SUCCEED|APPROVED|COMPLETE|SHIPPED|FULFIL|DONE|PAID/.test(s)) return "success";
  if (/PENDING|WAIT|AWAIT/.test(s)) return "waiting";
  if (/RUNNING|PROGRESS|RECEIV|RESERV|CHARG|NEW|CREATED/.test(s)) return "info";
  return "neutral";
}

/** "TIMED_OUT" → "Timed out". */
export function humanize(status: string): string {
  const words = status.replace(/[_-]+/g, " ").toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function StatusBadge(props: { status: string; tone?: Tone; label?: string }) {
  const tone = props.tone ?? toneOf(props.status);
  return (
    <span class={`badge badge-${tone}`} data-status={props.status}>
      <span aria-hidden="true" class="badge-symbol">
        {SYMBOL[tone]}
      </span>
      {props.label ?? humanize(props.status)}
    </span>
  );
}

export { SYMBOL as TONE_SYMBOL };
