/**
 * The approver's inbox: what waits for me (approve / reject with a comment and the request's
 * decision form), what I decided, each request's timeline, and my delegation. Every request is
 * rendered from the approvals contract alone, whichever workflow asked.
 */
import { useState } from "preact/hooks";
import { api } from "../api/client.ts";
import { ApiError } from "../api/errors.ts";
import type { Approval, FormField } from "../api/types.ts";
import { DelegationPanel } from "../components/delegation.tsx";
import { Empty, ErrorNotice, Loading } from "../components/notice.tsx";
import { headlineAmount, RequestSummary } from "../components/request-summary.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { TimeAgo } from "../components/time-ago.tsx";
import { Timeline } from "../components/timeline.tsx";
import { relativeTime, timeLeft } from "../format.ts";
import { useNow } from "../hooks/use-now.ts";
import { usePoll } from "../hooks/use-poll.ts";
import { href } from "../router.ts";

export function InboxPage() {
  const polled = usePoll(() => api.approvals("ALL"), []);
  const [announcement, setAnnouncement] = useState("");
  const onDecided = async (message: string) => {
    setAnnouncement(message);
    await polled.refresh();
  };
  const now = useNow();
  const items = polled.data ?? [];
  const pending = items
    .filter((a) => a.status === "PENDING")
    .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  const decided = items
    .filter((a) => a.status !== "PENDING")
    .sort((a, b) => (b.decidedAt ?? b.expiresAt).localeCompare(a.decidedAt ?? a.expiresAt));

  return (
    <>
      <header class="page-header">
        <h1>Inbox</h1>
        <p class="muted">Approval requests waiting for you. This page updates by itself.</p>
      </header>
      <p class={announcement ? "notice notice-success" : "visually-hidden"} role="status">
        {announcement}
      </p>
      {polled.error !== undefined && (
        <ErrorNotice error={polled.error} title="Could not load approvals" />
      )}
      {polled.loading && !polled.data ? (
        <Loading label="Loading approvals…" />
      ) : (
        <>
          <section aria-labelledby="pending-title">
            <h2 id="pending-title">
              Waiting for you <span class="count">{pending.length}</span>
            </h2>
            {pending.length === 0 ? (
              <Empty title="Nothing waiting for you">
                New requests appear here as soon as a workflow asks for your approval.
              </Empty>
            ) : (
              <ul class="cards">
                {pending.map((approval) => (
                  <li key={approval.approvalId}>
                    <ApprovalCard approval={approval} now={now} onDecided={onDecided} />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <DelegationPanel />
          <section aria-labelledby="decided-title">
            <h2 id="decided-title">Decided</h2>
            {decided.length === 0 ? (
              <Empty title="No decisions yet" />
            ) : (
              <DecidedTable items={decided} now={now} />
            )}
          </section>
        </>
      )}
    </>
  );
}

/** The decision form's inputs; values are sent as the server's `form` (strings, read there). */
function FormInputs(props: {
  approvalId: string;
  fields: FormField[];
  values: Record<string, string>;
  onChange: (name: string, value: string) => void;
}) {
  return (
    <>
      {props.fields.map((f) => {
        const id = `form-${props.approvalId}-${f.name}`;
        const value = props.values[f.name] ?? "";
        const set = (e: Event) =>
          props.onChange(f.name, (e.currentTarget as HTMLInputElement | HTMLSelectElement).value);
        return (
          <div key={f.name}>
            <label for={id}>
              {f.label}
              {f.required ? "" : " (optional)"}
            </label>
            {f.type === "choice" ? (
              <select id={id} value={value} onChange={set}>
                <option value="" />
                {f.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                type={f.type === "number" ? "number" : "text"}
                value={value}
                onInput={set}
              />
            )}
          </div>
        );
      })}
    </>
  );
}

/** "B for A" for each delegate on a request. */
function delegates(approval: Approval): string[] {
  return Object.entries(approval.onBehalfOf ?? {}).map(([b, a]) => `${b} for ${a}`);
}

function ApprovalCard(props: {
  approval: Approval;
  now: number;
  onDecided: (message: string) => Promise<void>;
}) {
  const { approval, now } = props;
  const [comment, setComment] = useState("");
  const [form, setForm] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      (approval.decisionForm ?? []).flatMap((f) =>
        f.type === "number" && f.default !== undefined ? [[f.name, String(f.default)]] : [],
      ),
    ),
  );
  const [showTimeline, setShowTimeline] = useState(false);
  const [busy, setBusy] = useState<"approve" | "reject" | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const left = timeLeft(approval.expiresAt, now);
  const commentId = `comment-${approval.approvalId}`;
  const titleId = `approval-${approval.approvalId}`;
  const amount = headlineAmount(approval.summary);

  const decide = async (decision: "approve" | "reject") => {
    setBusy(decision);
    setError(undefined);
    try {
      const filled = Object.fromEntries(Object.entries(form).filter(([, v]) => v.trim() !== ""));
      await api.decide(approval.approvalId, decision, comment.trim() || undefined, filled);
      await props.onDecided(
        `${decision === "approve" ? "Approved" : "Rejected"} ${approval.title}.`,
      );
    } catch (failure) {
      setError(failure);
      setBusy(undefined);
    }
  };
  const conflict = error instanceof ApiError && (error.status === 409 || error.status === 410);

  return (
    <article class="card approval" aria-labelledby={titleId} data-approval={approval.approvalId}>
      <div class="approval-head">
        <div>
          <h3 id={titleId}>{approval.title}</h3>
          <p class="muted">
            requested by {approval.requester} {relativeTime(approval.createdAt, now)}
            {delegates(approval).length > 0 && <> · {delegates(approval).join(", ")}</>}
          </p>
        </div>
        {amount && <p class="amount">{amount}</p>}
      </div>
      <RequestSummary summary={approval.summary} details={approval.details} />
      <p class="approval-meta">
        <span
          class={`deadline${left.urgent ? " is-urgent" : ""}${left.expired ? " is-expired" : ""}`}
        >
          <svg class="icon" viewBox="0 0 16 16" aria-hidden="true">
            <circle cx="8" cy="8" r="6.5" />
            <path d="M8 4.5V8l2.5 1.5" />
          </svg>
          {left.text}
        </span>
        {approval.required > 1 && (
          <span>
            {approval.approvals.length} of {approval.required} approvals
          </span>
        )}
        {approval.executionArn && (
          <a href={href({ page: "execution", arn: approval.executionArn })}>View execution</a>
        )}
        <button type="button" class="link-button" onClick={() => setShowTimeline(!showTimeline)}>
          {showTimeline ? "Hide timeline" : "Timeline"}
        </button>
      </p>
      {showTimeline && <Timeline approvalId={approval.approvalId} pending={true} />}
      <form class="decision" onSubmit={(e) => e.preventDefault()}>
        <FormInputs
          approvalId={approval.approvalId}
          fields={approval.decisionForm ?? []}
          values={form}
          onChange={(name, value) => setForm({ ...form, [name]: value })}
        />
        <label for={commentId}>Comment (optional)</label>
        <textarea
          id={commentId}
          name="comment"
          rows={2}
          maxLength={1000}
          value={comment}
          onInput={(e) => setComment((e.currentTarget as HTMLTextAreaElement).value)}
          placeholder="Visible to the requester and kept with the decision"
        />
        {error !== undefined && (
          <ErrorNotice
            error={error}
            title={conflict ? "This request was already settled" : "Could not record your decision"}
          />
        )}
        <div class="actions">
          <button
            type="button"
            class="button button-approve"
            disabled={busy !== undefined || left.expired}
            onClick={() => decide("approve")}
          >
            {busy === "approve" ? "Approving…" : "Approve"}
          </button>
          <button
            type="button"
            class="button button-reject"
            disabled={busy !== undefined || left.expired}
            onClick={() => decide("reject")}
          >
            {busy === "reject" ? "Rejecting…" : "Reject"}
          </button>
        </div>
      </form>
    </article>
  );
}

function DecidedTable(props: { items: Approval[]; now: number }) {
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Request</th>
            <th scope="col" class="num">
              Amount
            </th>
            <th scope="col">Decision</th>
            <th scope="col">By</th>
            <th scope="col">When</th>
            <th scope="col">Comment</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((a) => {
            const decision = a.rejection ?? a.approvals.at(-1);
            const when = a.decidedAt ?? decision?.at ?? a.expiresAt;
            const by = decision
              ? `${decision.by}${decision.onBehalfOf ? ` for ${decision.onBehalfOf}` : ""}`
              : (a.decidedBy ?? "—");
            return (
              <tr key={a.approvalId} data-approval={a.approvalId}>
                <td data-label="Request">
                  {a.executionArn ? (
                    <a href={href({ page: "execution", arn: a.executionArn })}>{a.title}</a>
                  ) : (
                    a.title
                  )}
                </td>
                <td data-label="Amount" class="num">
                  {headlineAmount(a.summary) ?? "—"}
                </td>
                <td data-label="Decision">
                  <StatusBadge status={a.status} />
                </td>
                <td data-label="By">{by}</td>
                <td data-label="When">
                  <TimeAgo iso={when} now={props.now} />
                </td>
                <td data-label="Comment">{decision?.comment ?? <span class="muted">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
