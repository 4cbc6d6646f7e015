/** The approver's inbox: what waits for me (approve / reject with a comment) and what I decided. */
import { useState } from "preact/hooks";
import { api } from "../api/client.ts";
import { ApiError } from "../api/errors.ts";
import type { Approval } from "../api/types.ts";
import { Empty, ErrorNotice, Loading } from "../components/notice.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { TimeAgo } from "../components/time-ago.tsx";
import { formatMoney, relativeTime, timeLeft } from "../format.ts";
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
                New requests appear here as soon as an order needs your approval.
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

function ApprovalCard(props: {
  approval: Approval;
  now: number;
  onDecided: (message: string) => Promise<void>;
}) {
  const { approval, now } = props;
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState<"approve" | "reject" | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const left = timeLeft(approval.expiresAt, now);
  const { summary } = approval;
  const commentId = `comment-${approval.approvalId}`;
  const titleId = `approval-${approval.approvalId}`;

  const decide = async (decision: "approve" | "reject") => {
    setBusy(decision);
    setError(undefined);
    try {
      await api.decide(approval.approvalId, decision, comment.trim() || undefined);
      await props.onDecided(
        `${decision === "approve" ? "Approved" : "Rejected"} order ${approval.orderId}.`,
      );
    } catch (failure) {
      setError(failure);
      setBusy(undefined);
    }
  };
  const conflict = error instanceof ApiError && (error.status === 409 || error.status === 410);

  return (
    <article
      class="card approval"
      aria-labelledby={titleId}
      data-approval={approval.approvalId}
      data-order={approval.orderId}
    >
      <div class="approval-head">
        <div>
          <h3 id={titleId}>Order {approval.orderId}</h3>
          <p class="muted">
            {summary.customer.name} · requested by {approval.requester}{" "}
            {relativeTime(approval.createdAt, now)}
          </p>
        </div>
        <p class="amount">{formatMoney(summary.total, summary.currency)}</p>
      </div>
      <table class="lines">
        <caption class="visually-hidden">Order lines</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" class="num">
              Qty
            </th>
            <th scope="col" class="num">
              Unit price
            </th>
          </tr>
        </thead>
        <tbody>
          {summary.lines.map((line) => (
            <tr key={line.sku}>
              <td>
                {line.name ?? line.sku} <span class="muted sku">{line.name ? line.sku : ""}</span>
              </td>
              <td class="num">{line.quantity}</td>
              <td class="num">{formatMoney(line.unitPrice, summary.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
        <a href={href({ page: "execution", arn: approval.executionArn })}>View execution</a>
      </p>
      <form class="decision" onSubmit={(e) => e.preventDefault()}>
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
            <th scope="col">Order</th>
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
            return (
              <tr key={a.approvalId} data-approval={a.approvalId}>
                <td data-label="Order">
                  <a href={href({ page: "execution", arn: a.executionArn })}>{a.orderId}</a>
                </td>
                <td data-label="Amount" class="num">
                  {formatMoney(a.summary.total, a.summary.currency)}
                </td>
                <td data-label="Decision">
                  <StatusBadge status={a.status} />
                </td>
                <td data-label="By">{a.decidedBy ?? decision?.by ?? "—"}</td>
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
