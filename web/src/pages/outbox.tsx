/** Local mode only: the emails the platform would have sent, newest first, links clickable. */
import type { ComponentChildren } from "preact";
import { api } from "../api/client.ts";
import { Empty, ErrorNotice, Loading } from "../components/notice.tsx";
import { TimeAgo } from "../components/time-ago.tsx";
import { useNow } from "../hooks/use-now.ts";
import { usePoll } from "../hooks/use-poll.ts";

/** Plain text with http(s) links turned into anchors (no HTML from the mail is rendered). */
function linkify(text: string): ComponentChildren[] {
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    const index = match.index ?? 0;
    parts.push(text.slice(last, index));
    parts.push(
      <a key={index} href={match[0]}>
        {match[0]}
      </a>,
    );
    last = index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

export function OutboxPage() {
  const polled = usePoll(() => api.outbox(), []);
  const now = useNow(5000);
  const items = [...(polled.data ?? [])].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <>
      <header class="page-header">
        <h1>Outbox</h1>
        <p class="muted">Running locally, email is captured here instead of being delivered.</p>
      </header>
      {polled.error !== undefined && (
        <ErrorNotice error={polled.error} title="Could not load the outbox" />
      )}
      {polled.loading && !polled.data ? (
        <Loading label="Loading mail…" />
      ) : items.length === 0 ? (
        <Empty title="No mail yet">Sign-in links and approval requests show up here.</Empty>
      ) : (
        <ul class="mails">
          {items.map((mail, index) => (
            <li key={mail.id} class="card mail" data-mail={mail.id}>
              <details open={index === 0}>
                <summary>
                  <span class="mail-subject">{mail.subject}</span>
                  <span class="muted mail-meta">
                    to {mail.to.join(", ")} · <TimeAgo iso={mail.at} now={now} />
                  </span>
                </summary>
                <pre class="mail-body">{linkify(mail.text)}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
