/**
 * A request's timeline: its audit ledger (functions/approvals/ledger.ts) in order — requested,
 * emailed, viewed, reminded, escalated, delegated, voted, decided, expired, delivered — with who,
 * when and through which channel; and, for operators, reassigning a pending request.
 */
import { useState } from "preact/hooks";
import { api } from "../api/client.ts";
import type { TimelineEntry } from "../api/types.ts";
import { formatDateTime } from "../format.ts";
import { usePoll } from "../hooks/use-poll.ts";
import { ErrorNotice, Loading } from "./notice.tsx";

function describe(e: TimelineEntry): string {
  const d = e.data as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.join(", ") : String(v ?? ""));
  switch (e.type) {
    case "requested":
      return `asked ${list(d.approvers)} (${d.required} needed)`;
    case "emailed":
      return `${d.purpose} mailed to ${d.to}`;
    case "announced":
      return `announced to ${d.host} (${d.status})`;
    case "escalated":
      return `nobody decided in time: also asked ${list(d.to)}`;
    case "delegated":
      return `${d.to} decides for ${d.onBehalfOf ?? d.from} (${d.reason})`;
    case "voted": {
      const forWhom = d.onBehalfOf ? ` for ${d.onBehalfOf}` : "";
      return `${d.decision === "approve" ? "approved" : "rejected"}${forWhom}${d.comment ? `: “${d.comment}”` : ""}`;
    }
    case "decided":
      return `${d.decision === "approve" ? "approved" : "rejected"} by ${d.by}${d.onBehalfOf ? ` for ${d.onBehalfOf}` : ""}`;
    case "delivered":
      return `workflow told: ${d.outcome}`;
    case "reminded":
      return `reminded ${list(d.to)}`;
    default:
      return "";
  }
}

export function Timeline(props: { approvalId: string; pending: boolean }) {
  const polled = usePoll(() => api.timeline(props.approvalId), [props.approvalId]);
  if (polled.error !== undefined)
    return <ErrorNotice error={polled.error} title="Could not load the timeline" />;
  if (!polled.data) return <Loading label="Loading the timeline…" />;
  const { entries, head } = polled.data;
  return (
    <div class="timeline">
      <ol>
        {entries.map((e) => (
          <li key={e.seq} data-type={e.type}>
            <time dateTime={e.at}>{formatDateTime(e.at)}</time> <strong>{e.type}</strong>{" "}
            <span class="muted">
              {e.actor} · {e.channel}
            </span>{" "}
            {describe(e)}
          </li>
        ))}
      </ol>
      {head && (
        <p class="muted">
          {head.seq} entries, hash-chained; last hash <code>{head.hash.slice(0, 16)}…</code>
        </p>
      )}
      {props.pending && <Reassign approvalId={props.approvalId} onDone={polled.refresh} />}
    </div>
  );
}

function Reassign(props: { approvalId: string; onDone: () => Promise<void> }) {
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.reassign(props.approvalId, from.trim(), to.trim());
      await props.onDone();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form class="reassign" onSubmit={submit}>
      <p class="muted">Operators: give one approver's place to someone else.</p>
      <label>
        From{" "}
        <input type="email" required value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
      </label>
      <label>
        To <input type="email" required value={to} onInput={(e) => setTo(e.currentTarget.value)} />
      </label>
      <button type="submit" class="button">
        Reassign
      </button>
      {error !== undefined && <ErrorNotice error={error} title="Could not reassign" />}
    </form>
  );
}
